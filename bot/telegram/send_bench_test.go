package telegram

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/telegram/fakeapi"
)

// BenchmarkSend is one message with a keyboard sent through the channel (the real
// go-telegram/bot client) to the fake Bot API in the same process: the client's and the
// fake's work per message, as in the load test: with the channel's own client
// (bufferedClient), and with a client whose transport gets go-telegram/bot's piped bodies as
// they are.
func BenchmarkSend(b *testing.B) {
	b.Run("buffered", func(b *testing.B) { benchmarkSend(b) })
	b.Run("plain", func(b *testing.B) {
		benchmarkSend(b, WithHTTPClient(&http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 128}}))
	})
}

func benchmarkSend(b *testing.B, opts ...Option) {
	api := fakeapi.New(fakeapi.Options{DropHistory: true})
	defer api.Close()
	ch, err := New(Config{Token: fakeapi.Token, ServerURL: api.URL}, nil, append(opts, WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		b.Fatal(err)
	}
	msg := bot.Outgoing{Recipient: "1000000001", Reply: bot.Reply{
		Text:    "Pilih paket perlindungan yang Anda inginkan. Iuran dibayar setiap bulan.",
		Choices: []bot.Choice{{Label: "JKK + JKM", Value: "jkk_jkm"}, {Label: "JKK + JKM + JHT", Value: "jkk_jkm_jht"}, {Label: "Kembali", Value: "kembali"}},
	}}
	ctx := context.Background()
	b.ReportAllocs()
	report := cpuPerOp(b)
	for b.Loop() {
		if err := ch.Send(ctx, msg); err != nil {
			b.Fatal(err)
		}
	}
	report()
}
