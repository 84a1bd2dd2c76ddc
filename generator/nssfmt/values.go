package nssfmt

// Field identifies one NSS feed field (the name inside `%s{…}`), as an index into this package's
// field table. Field names are looked up once, at compile time; rendering works on Fields only.
type Field uint16

// Values supplies the field values of one record while a Program renders it. Implementations are
// called once per field occurrence, so they must be cheap and must not allocate.
type Values interface {
	// AppendText appends the value of f as `%s{f}` prints it, before any encoding the format asks
	// for (the Program applies `e`/`o` variants and feed escapes itself).
	AppendText(dst []byte, f Field) []byte
	// Number returns the value of f as `%d{f}`, `%x{f}` and their widths print it.
	Number(f Field) int64
}
