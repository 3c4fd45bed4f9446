package botsim

import (
	"encoding/binary"
	"net/http"
	"testing"
)

// The silent voice is an Ogg Opus stream a browser can read: pages with
// good checksums, the Opus header first, the last page marked, and the
// granule position saying its length.
func TestSilentVoice(t *testing.T) {
	// CRC-32 over "123456789" with this polynomial, from 0, no final xor:
	// the complement of POSIX cksum's check value 0x765E7680.
	if got := oggCRC([]byte("123456789")); got != 0x89A1897F {
		t.Fatalf("oggCRC = %#x", got)
	}
	for _, seconds := range []int{1, 3} {
		b := SilentVoice(seconds)
		if ct := http.DetectContentType(b); ct != "application/ogg" {
			t.Errorf("sniffed as %q", ct)
		}
		var pages []uint64
		var last byte
		for len(b) > 0 {
			if len(b) < 27 || string(b[:4]) != "OggS" {
				t.Fatalf("%d s: not a page at %q", seconds, b[:min(len(b), 8)])
			}
			n := int(b[26])
			size := 27 + n
			for _, s := range b[27 : 27+n] {
				size += int(s)
			}
			page := append([]byte(nil), b[:size]...)
			sum := binary.LittleEndian.Uint32(page[22:])
			copy(page[22:26], []byte{0, 0, 0, 0})
			if oggCRC(page) != sum {
				t.Errorf("%d s: page %d has a bad checksum", seconds, len(pages))
			}
			if len(pages) == 0 && (b[5] != 0x02 || string(b[28:36]) != "OpusHead") {
				t.Errorf("%d s: the first page is not the Opus header", seconds)
			}
			pages = append(pages, binary.LittleEndian.Uint64(b[6:]))
			last = b[5]
			b = b[size:]
		}
		if last != 0x04 || pages[len(pages)-1]-312 != uint64(seconds*48000) {
			t.Errorf("%d s: last page flags %#x, granule %d", seconds, last, pages[len(pages)-1])
		}
	}
}
