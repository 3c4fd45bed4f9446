package botsim

import "encoding/binary"

// SilentVoice is a voice message of silence as Telegram keeps one: an
// Ogg file of mono Opus at 48 kHz, 20 ms to a packet, so that a browser
// given it plays it and knows its length.
func SilentVoice(seconds int) []byte {
	const (
		preSkip      = 312 // what encoders put ahead of the audio
		perPacket    = 960 // 20 ms at 48 kHz
		packetsAPage = 50  // a second
	)
	head := make([]byte, 19)
	copy(head, "OpusHead")
	head[8], head[9] = 1, 1 // version, mono
	binary.LittleEndian.PutUint16(head[10:], preSkip)
	binary.LittleEndian.PutUint32(head[12:], 48000)
	tags := binary.LittleEndian.AppendUint32([]byte("OpusTags"), 6)
	tags = binary.LittleEndian.AppendUint32(append(tags, "botsim"...), 0)

	var w oggWriter
	w.page(0x02, 0, [][]byte{head}) // the first page
	w.page(0, 0, [][]byte{tags})
	// A CELT frame that decodes to 20 ms of silence.
	silence := []byte{0xF8, 0xFF, 0xFE}
	packets := max(seconds, 1) * 1000 / 20
	granule := uint64(preSkip)
	for sent := 0; sent < packets; {
		n := min(packetsAPage, packets-sent)
		page := make([][]byte, n)
		for i := range page {
			page[i] = silence
		}
		sent += n
		granule += uint64(n * perPacket)
		flags := byte(0)
		if sent == packets {
			flags = 0x04 // the last page
		}
		w.page(flags, granule, page)
	}
	return w.buf
}

// oggWriter writes the pages of one Ogg stream (RFC 3533); each packet
// here is under 255 bytes, one segment.
type oggWriter struct {
	buf []byte
	seq uint32
}

func (w *oggWriter) page(flags byte, granule uint64, packets [][]byte) {
	start := len(w.buf)
	w.buf = append(w.buf, "OggS"...)
	w.buf = append(w.buf, 0, flags)
	w.buf = binary.LittleEndian.AppendUint64(w.buf, granule)
	w.buf = binary.LittleEndian.AppendUint32(w.buf, 0x686f746c) // the stream's serial number
	w.buf = binary.LittleEndian.AppendUint32(w.buf, w.seq)
	w.buf = append(w.buf, 0, 0, 0, 0) // the checksum, below
	w.buf = append(w.buf, byte(len(packets)))
	for _, p := range packets {
		w.buf = append(w.buf, byte(len(p)))
	}
	for _, p := range packets {
		w.buf = append(w.buf, p...)
	}
	binary.LittleEndian.PutUint32(w.buf[start+22:], oggCRC(w.buf[start:]))
	w.seq++
}

// oggCRC is the Ogg checksum: CRC-32 with polynomial 0x04c11db7, not
// reflected, starting from 0.
func oggCRC(b []byte) uint32 {
	var crc uint32
	for _, c := range b {
		crc ^= uint32(c) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04c11db7
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
