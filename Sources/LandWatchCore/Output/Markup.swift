/// Text placed in HTML, SVG or XML: `& < > " '` escaped, and the control characters XML 1.0
/// cannot hold left out (tab, newline and return kept). One escaper for the bulletin, the
/// workbook and the web pages.
public enum Markup {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            default: if c.value >= 0x20 && c.value != 0xFFFE && c.value != 0xFFFF { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
