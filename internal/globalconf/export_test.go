package globalconf

// DecodeSharedBothWays decodes a shared-parameters document with the
// scanner and with encoding/xml, for tests comparing the two. scanned is
// false when the scanner gave up.
func DecodeSharedBothWays(data []byte) (scan any, scanned bool, ref any, refErr error) {
	w, ok := scanShared(data)
	r := new(sharedXML)
	err := decodeDocument(data, MaxXMLSize, NamespaceXRoad, "conf", r)
	return w, ok, r, err
}
