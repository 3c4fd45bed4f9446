package sameproblem

import "testing"

// BenchmarkReadSame is the matcher's cost per candidate on intake: read
// the open ticket's words and compare (the new report is read once).
func BenchmarkReadSame(b *testing.B) {
	report := Read("村口那盏路灯不亮好几天了，晚上老人出门不方便")
	b.ReportAllocs()
	for b.Loop() {
		if !Same(Read("村口的路灯坏了，晚上黑乎乎的"), report) {
			b.Fatal("not the same")
		}
	}
}
