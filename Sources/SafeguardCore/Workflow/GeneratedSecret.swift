/// Random secrets for people: passwords of new users.
public enum GeneratedSecret {
    /// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
    public static func password() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
