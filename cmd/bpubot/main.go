// Command bpubot is the one binary of bpubot: sign-up, reminders and answers for BPJS
// Ketenagakerjaan BPU workers, on WhatsApp, Telegram and the console.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "bpubot:", err)
		os.Exit(1)
	}
}
