import Foundation

/// Reads a file (or standard input) line by line in large chunks, so that memory stays flat
/// however long the input is.
public struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    private let chunkSize: Int

    public init(handle: FileHandle, chunkSize: Int = 1 << 20) {
        self.handle = handle
        self.chunkSize = chunkSize
    }

    /// The next line without its line terminator (`\n` or `\r\n`), or nil at the end.
    public mutating func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[start..<end]
                start = newline + 1
                return line
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return line
            }
            // Keep the unfinished tail, then read more.
            buffer.removeSubrange(0..<start)
            start = 0
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
