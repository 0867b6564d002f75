/// MSB-first bit writer used to hand-encode dependency descriptors exactly as AV1 RTP spec
/// Appendix A.8 lays them out, field by field.
struct DependencyDescriptorTestBitWriter {
    private(set) var bytes: [UInt8] = []
    private var bitCount = 0

    /// f(n)
    mutating func write(_ value: UInt32, bits: Int) {
        for shift in stride(from: bits - 1, through: 0, by: -1) {
            if bitCount % 8 == 0 { bytes.append(0) }
            if (value >> UInt32(shift)) & 1 == 1 {
                bytes[bytes.count - 1] |= 0x80 >> UInt8(bitCount % 8)
            }
            bitCount += 1
        }
    }

    mutating func write(_ flag: Bool) { write(flag ? 1 : 0, bits: 1) }

    /// Mandatory fields (A.8.2).
    mutating func writeMandatory(start: Bool, end: Bool, templateID: UInt32, frameNumber: UInt32) {
        write(start)
        write(end)
        write(templateID, bits: 6)
        write(frameNumber, bits: 16)
    }
}

/// L1T3 (one spatial layer, three temporal layers, three decode targets), template id offset 5:
///   index  TID  DTIs   fdiffs  chain fdiff
///   0      0    S S S  -       0        (key frame)
///   1      0    S S S  4       4
///   2      1    - D S  2       2
///   3      2    - - D  1       1
///   4      2    - - D  1       3
/// with one chain protecting all decode targets and a 640x360 render resolution.
func writeL1T3Structure(into writer: inout DependencyDescriptorTestBitWriter) {
    writer.write(5, bits: 6)                     // template_id_offset
    writer.write(2, bits: 5)                     // dt_cnt_minus_one
    for idc: UInt32 in [0, 1, 1, 0, 3] { writer.write(idc, bits: 2) }   // template_layers
    let dtis: [[UInt32]] = [[2, 2, 2], [2, 2, 2], [0, 1, 2], [0, 0, 1], [0, 0, 1]]
    for row in dtis { for dti in row { writer.write(dti, bits: 2) } }
    let fdiffs: [[UInt32]] = [[], [4], [2], [1], [1]]
    for row in fdiffs {
        for fdiff in row {
            writer.write(true)
            writer.write(fdiff - 1, bits: 4)
        }
        writer.write(false)
    }
    writer.write(1, bits: 2)                     // chain_cnt = ns(4): 2 bits, value 1
    // decode_target_protected_by = ns(1): zero bits each.
    for chainFdiff: UInt32 in [0, 4, 2, 1, 3] { writer.write(chainFdiff, bits: 4) }
    writer.write(true)                           // resolutions_present_flag
    writer.write(639, bits: 16)
    writer.write(359, bits: 16)
}

/// Key frame of L1T3 carrying the structure (template index 0, frame 100).
func l1t3KeyFrameDescriptor() -> [UInt8] {
    var writer = DependencyDescriptorTestBitWriter()
    writer.writeMandatory(start: true, end: true, templateID: 5, frameNumber: 100)
    writer.write(true)    // template_dependency_structure_present_flag
    writer.write(false)   // active_decode_targets_present_flag
    writer.write(false)   // custom_dtis_flag
    writer.write(false)   // custom_fdiffs_flag
    writer.write(false)   // custom_chains_flag
    writeL1T3Structure(into: &writer)
    return writer.bytes
}
