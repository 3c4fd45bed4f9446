package taxonomy

// Names maps the string ids of one kind (a category, a source, a role, an
// event) to the Chinese names people read. The map is the list of valid
// ids, so validity and naming cannot disagree.
type Names[ID ~string] map[ID]string

// Has reports whether id is one of the ids named.
func (n Names[ID]) Has(id ID) bool {
	_, ok := n[id]
	return ok
}

// Of is id's Chinese name, or the id itself when it has none: an unknown
// id shows as it is stored rather than as nothing.
func (n Names[ID]) Of(id ID) string {
	if s, ok := n[id]; ok {
		return s
	}
	return string(id)
}
