/// One option of a select, a checkbox group or a radio group on a page.
struct FormChoice: Encodable {
    var value: String
    var label: String
    var selected: Bool
}
