/// Runs a typed-throwing parse over an array's bytes. `Array.withUnsafeBytes` only rethrows
/// untyped errors, so the result is carried out through `Result` to keep the typed error.
/// Used by the `[UInt8]` convenience overloads (tests, tools), not by the hot path.
func withCodecPayloadBytes<Value, Failure: Error>(
    _ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(Failure) -> Value
) throws(Failure) -> Value {
    let result: Result<Value, Failure> = array.withUnsafeBytes { buffer in
        do throws(Failure) {
            return .success(try body(buffer))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}
