import Foundation

/// How a bench process lines up with the others when `--processes` spreads the participants
/// over several (so that the load generator is not one process's event loops): each child joins
/// its share, says `ready` on stdout, measures when its stdin says `go`, and writes its counts
/// to a file; the parent, which runs the first share itself, adds them up.
enum BenchCoordination {
    case alone
    case child(resultPath: String)
    case parent([BenchChild])

    /// The room is made once, by the parent.
    var createsRoom: Bool {
        if case .child = self { return false }
        return true
    }

    var processCount: Int {
        if case .parent(let children) = self { return children.count + 1 }
        return 1
    }

    /// After this process's participants joined: wait for everyone, so the windows line up.
    func lineUp(progress: @Sendable (String) -> Void) async throws {
        switch self {
        case .alone:
            return
        case .child:
            FileHandle.standardOutput.write(Data("ready\n".utf8))
            let line = await Task.detached { readLine() }.value
            guard line == "go" else { throw BenchError.server("the parent bench process went away") }
        case .parent(let children):
            for child in children { try await child.waitUntilReady() }
            progress("\(children.count + 1) bench processes joined; measuring")
            for child in children { child.go() }
        }
    }

    /// After measuring: a child hands its window over; the parent adds the children's in.
    func finish(_ window: inout MeasuredWindow) async throws {
        switch self {
        case .alone:
            return
        case .child(let path):
            let result = BenchChild.Result(totals: window.totals, benchCPUSeconds: window.usage.benchCPUSeconds)
            try JSONEncoder().encode(result).write(to: URL(fileURLWithPath: path))
        case .parent(let children):
            for child in children {
                let result = try await child.result()
                window.totals.add(result.totals)
                window.usage.benchCPUSeconds += result.benchCPUSeconds
            }
        }
    }
}

/// A child bench process (`parley-bench … --child-result FILE`), driven over its stdin/stdout.
final class BenchChild: @unchecked Sendable {
    struct Result: Codable {
        var totals: WorkerTotals
        var benchCPUSeconds: Double
    }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    let resultPath: String

    /// Starts this executable again with `arguments`.
    init(arguments: [String], resultPath: String) throws {
        self.resultPath = resultPath
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments + ["--child-result", resultPath]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    /// Waits (at most two minutes) for the child's `ready` line.
    func waitUntilReady() async throws {
        let handle = output.fileHandleForReading
        let ready = await Task.detached { () -> Bool in
            var line = Data()
            while true {
                let byte = handle.readData(ofLength: 1)
                guard !byte.isEmpty else { return false }
                if byte == Data("\n".utf8) {
                    if String(decoding: line, as: UTF8.self) == "ready" { return true }
                    line.removeAll()
                } else {
                    line.append(byte)
                }
            }
        }.value
        guard ready else { throw BenchError.server("a child bench process stopped before it was ready") }
    }

    func go() {
        input.fileHandleForWriting.write(Data("go\n".utf8))
    }

    /// The child's counts, once it has exited.
    func result() async throws -> Result {
        let process = self.process
        await Task.detached { process.waitUntilExit() }.value
        guard process.terminationStatus == 0 else {
            throw BenchError.server("a child bench process failed (exit \(process.terminationStatus))")
        }
        return try JSONDecoder().decode(Result.self, from: Data(contentsOf: URL(fileURLWithPath: resultPath)))
    }

    func terminate() {
        if process.isRunning { process.terminate() }
    }
}
