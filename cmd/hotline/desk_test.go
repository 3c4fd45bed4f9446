package main

import (
	"net"
	"testing"
)

func TestPublicURL(t *testing.T) {
	for _, c := range []struct {
		configured, addr, want string
	}{
		{"https://hotline.example.gov.cn", "127.0.0.1:8080", "https://hotline.example.gov.cn"},
		{"", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"", "0.0.0.0:8080", "http://127.0.0.1:8080"}, // every interface: no browser opens 0.0.0.0
		{"", "[::]:9000", "http://127.0.0.1:9000"},
		{"", "192.168.1.20:80", "http://192.168.1.20:80"},
	} {
		addr, err := net.ResolveTCPAddr("tcp", c.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := publicURL(c.configured, addr); got != c.want {
			t.Errorf("publicURL(%q, %s) = %q, want %q", c.configured, c.addr, got, c.want)
		}
	}
}
