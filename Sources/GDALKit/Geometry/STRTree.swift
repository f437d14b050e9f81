/// A packed Sort-Tile-Recursive R-tree over envelopes, built once and then read-only.
///
/// A plain value: safe to query from any number of threads at once. Items are the indices of
/// the envelopes given at construction.
public struct STRTree: Sendable {
    private struct Node: Sendable {
        var envelope: Envelope
        var start: Int   // first child (node index) or first item (position in `order`)
        var count: Int
        var isLeaf: Bool
    }

    private let nodes: [Node]
    private let order: [Int]
    /// The items' envelopes, by item.
    public let envelopes: [Envelope]
    private let root: Int?
    private let stackCapacity: Int

    public init(_ envelopes: [Envelope], nodeCapacity: Int = 10) {
        self.envelopes = envelopes
        var nodes: [Node] = []
        let items = envelopes.indices.filter { !envelopes[$0].isEmpty }
        var order: [Int] = []
        order.reserveCapacity(items.count)
        // Leaves: tile items into vertical slices by x, then by y within each slice.
        var level: [Int] = []
        for group in STRTree.tile(items, capacity: nodeCapacity, center: { envelopes[$0].center }) {
            let start = order.count
            order.append(contentsOf: group)
            let env = group.reduce(Envelope.empty) { $0.union(envelopes[$1]) }
            nodes.append(Node(envelope: env, start: start, count: group.count, isLeaf: true))
            level.append(nodes.count - 1)
        }
        var levels = 1
        while level.count > 1 {
            levels += 1
            var next: [Int] = []
            let snapshot = nodes
            for group in STRTree.tile(level, capacity: nodeCapacity, center: { snapshot[$0].envelope.center }) {
                // Children of a node must be contiguous: copy them to the end.
                let start = nodes.count
                for child in group { nodes.append(snapshot[child]) }
                let env = group.reduce(Envelope.empty) { $0.union(snapshot[$1].envelope) }
                nodes.append(Node(envelope: env, start: start, count: group.count, isLeaf: false))
                next.append(nodes.count - 1)
            }
            level = next
        }
        self.nodes = nodes
        self.order = order
        self.root = level.first
        // A depth-first walk holds at most one node's children per level on its stack.
        stackCapacity = (levels + 1) * max(nodeCapacity, 1) + 1
    }

    private init(nodes: [Node], order: [Int], envelopes: [Envelope], root: Int?, stackCapacity: Int) {
        (self.nodes, self.order, self.envelopes, self.root, self.stackCapacity) = (nodes, order, envelopes, root, stackCapacity)
    }

    /// The same tree with its items renumbered in the order its leaves hold them, a map order
    /// (items near each other in it lie near each other on the map; items with empty envelopes
    /// come last), and for each new number the item's index before.
    public func renumberedInLeafOrder() -> (tree: STRTree, indices: [Int]) {
        var placed = [Bool](repeating: false, count: envelopes.count)
        for i in order { placed[i] = true }
        let indices = order + envelopes.indices.filter { !placed[$0] }
        let tree = STRTree(nodes: nodes, order: Array(order.indices), envelopes: indices.map { envelopes[$0] },
                           root: root, stackCapacity: stackCapacity)
        return (tree, indices)
    }

    /// Groups of at most `capacity` items: slices by the x of their centres, each cut up by y.
    /// The centres are worked out once and sorted together with the items (sorting is stable:
    /// ties keep the items' order).
    private static func tile(_ items: [Int], capacity: Int, center: (Int) -> Coordinate) -> [[Int]] {
        guard !items.isEmpty else { return [] }
        let leafCount = (items.count + capacity - 1) / capacity
        let slices = Int(Double(leafCount).squareRoot().rounded(.up))
        let sliceSize = slices * capacity
        let byX = items.map { (item: $0, center: center($0)) }.sorted { $0.center.x < $1.center.x }
        var groups: [[Int]] = []
        var i = 0
        while i < byX.count {
            let slice = byX[i..<min(i + sliceSize, byX.count)].sorted { $0.center.y < $1.center.y }.map(\.item)
            var j = 0
            while j < slice.count {
                groups.append(Array(slice[j..<min(j + capacity, slice.count)]))
                j += capacity
            }
            i += sliceSize
        }
        return groups
    }

    /// Indices of the items whose envelopes intersect `envelope`, in ascending order.
    public func query(_ envelope: Envelope) -> [Int] {
        var out: [Int] = []
        visit(envelope) { out.append($0); return true }
        return out.sorted()
    }

    /// Whether any item's envelope intersects `envelope`.
    public func intersectsAny(_ envelope: Envelope) -> Bool {
        var found = false
        visit(envelope) { _ in
            found = true
            return false
        }
        return found
    }

    /// Calls `body` with each item whose envelope intersects `envelope`, while it returns true.
    func visit(_ envelope: Envelope, _ body: (Int) -> Bool) {
        guard let root, !envelope.isEmpty else { return }
        // Depth-first with the pending nodes on the stack: at most a node's children per level.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: stackCapacity) { stack in
            stack[0] = root
            var top = 1
            while top > 0 {
                top -= 1
                let node = nodes[stack[top]]
                guard node.envelope.intersects(envelope) else { continue }
                if node.isLeaf {
                    for k in node.start..<node.start + node.count where envelopes[order[k]].intersects(envelope) {
                        if !body(order[k]) { return }
                    }
                } else {
                    for child in node.start..<node.start + node.count {
                        stack[top] = child
                        top += 1
                    }
                }
            }
        }
    }

    public var count: Int { envelopes.count }
}
