// Shared by every fuzz target (compiled into each target's module by Fuzz/run.sh).

/// Reports a broken property as a crash libFuzzer keeps. Harness-only: the parsers under test
/// never trap on input, so a trap anywhere is a finding.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
               file: StaticString = #file, line: UInt = #line) {
    if !condition() { fatalError("fuzz property failed: \(message())", file: file, line: line) }
}

/// A range lies inside a buffer of `count` bytes.
func fuzzInside(_ range: Range<Int>, _ count: Int) -> Bool {
    range.lowerBound >= 0 && range.upperBound <= count
}
