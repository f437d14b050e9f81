/// A message in English and Chinese, for the front ends to pick from (the web pages by their
/// language, the JSON API both). Written from a plain string it is the same in both (for a
/// message that has no Chinese yet). Two messages are equal when their English is: the Chinese is
/// the same message in another language.
public struct Bilingual: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public let en: String
    public let zh: String

    public init(en: String, zh: String) {
        self.en = en
        self.zh = zh
    }

    public init(stringLiteral value: String) { (en, zh) = (value, value) }

    public init(stringInterpolation: DefaultStringInterpolation) {
        let text = String(stringInterpolation: stringInterpolation)
        (en, zh) = (text, text)
    }

    /// The English, as the command line and the logs say it.
    public var description: String { en }

    /// The message in a language.
    public func text(_ language: Language) -> String { language == .zh ? zh : en }

    /// Both messages with the same words added (`: nothing was changed`).
    public func adding(en suffixEn: String, zh suffixZh: String) -> Bilingual { Bilingual(en: en + suffixEn, zh: zh + suffixZh) }

    public static func == (a: Bilingual, b: Bilingual) -> Bool { a.en == b.en }
}
