import FuzzDriver
import HostileInputs

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCaseInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    HostileInput.caseInput(UnsafeBufferPointer(start: data, count: size))
    return 0
}

// SwiftPM links an executable's entry point under this name; libFuzzer's driver is the program.
@_cdecl("FuzzCaseInput_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzCaseInput)
}
