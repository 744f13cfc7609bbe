import FuzzDriver
import HostileInputs

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicyFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    HostileInput.policyFile(UnsafeBufferPointer(start: data, count: size))
    return 0
}

// SwiftPM links an executable's entry point under this name; libFuzzer's driver is the program.
@_cdecl("FuzzPolicyFile_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzPolicyFile)
}
