import COpenSSL

/// OpenSSL reports failures on a thread-local queue; drain it into one readable string so that
/// an error from one connection never leaks into the next call on this thread.
enum OpenSSLErrorQueue {
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            reasons.append(String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
                                  as: UTF8.self))
        }
        return reasons.isEmpty ? "no OpenSSL error recorded" : reasons.joined(separator: "; ")
    }

    static func failure(_ operation: String) -> DTLSError {
        .openSSL(operation: operation, reason: drain())
    }
}
