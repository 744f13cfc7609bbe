import Foundation

/// Reads a file (or standard input) line by line in large chunks, so that memory stays flat
/// however long the input is. A line longer than `maximumLineLength` is skipped whole and
/// reported as `.tooLong`, so one hostile line cannot exhaust memory.
public struct LineReader {
    public enum Line: Equatable {
        /// The line without its terminator (`\n` or `\r\n`).
        case text(ArraySlice<UInt8>)
        /// A line longer than the limit, skipped.
        case tooLong
    }

    public let maximumLineLength: Int
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    private var skippingLongLine = false
    private let chunkSize: Int

    public init(handle: FileHandle, chunkSize: Int = 1 << 20, maximumLineLength: Int = 16 << 20) {
        self.handle = handle
        self.chunkSize = chunkSize
        self.maximumLineLength = maximumLineLength
    }

    /// The next line, or nil at the end of the input.
    public mutating func nextLine() throws -> Line? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[start..<end]
                start = newline + 1
                if skippingLongLine || line.count > maximumLineLength {
                    skippingLongLine = false
                    return .tooLong
                }
                return .text(line)
            }
            if finished {
                guard start < buffer.count || skippingLongLine else { return nil }
                let line = buffer[start...]
                start = buffer.count
                if skippingLongLine || line.count > maximumLineLength {
                    skippingLongLine = false
                    return .tooLong
                }
                return .text(line)
            }
            // Keep the unfinished tail (or drop it when it is already too long), then read more.
            if buffer.count - start > maximumLineLength {
                skippingLongLine = true
                start = buffer.count
            }
            buffer.removeSubrange(0..<start)
            start = 0
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
