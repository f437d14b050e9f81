/// Receives progress of long work (features read so far, out of a total when known). The CLI
/// draws a bar on stderr when it is a terminal; tests and pipes pass nothing.
public protocol ProgressSink: Sendable {
    func update(_ done: Int, of total: Int?)
    func finish()
}
