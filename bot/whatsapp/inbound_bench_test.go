package whatsapp

import (
	"fmt"
	"testing"

	"bpubot/models/modeltest"
)

// BenchmarkInbound: messages from 100 chats taken from whatsmeow one at a time, each
// acknowledged only after the engine committed it (the handler waits): the rate one WhatsApp
// connection takes messages in. One op is one message, its commit and its read receipt.
func BenchmarkInbound(b *testing.B) {
	for _, dialect := range modeltest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			h := newHarness(b, modeltest.MustOpen(b, dialect))
			h.start()
			h.connect()
			b.ResetTimer()
			for i := range b.N {
				id := fmt.Sprintf("3EB0B%07d", i)
				h.cli.emit(textEvent(id, pn(fmt.Sprintf("62812000%05d", i%100)), "halo"))
				<-h.cli.receipts
			}
			b.StopTimer()
			h.stop()
		})
	}
}
