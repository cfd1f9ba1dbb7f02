// Package console is the channel over stdin and stdout: the zero-setup way to try bpubot.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"bpubot/bot"
)

// Name is the channel's name in conversations and the outbox.
const Name = "console"

// Channel writes replies to a writer, choices as numbered lines.
type Channel struct {
	mu  sync.Mutex
	out io.Writer
}

var _ bot.Channel = (*Channel)(nil)

// New makes a console channel writing to out.
func New(out io.Writer) *Channel { return &Channel{out: out} }

// Name implements bot.Channel.
func (c *Channel) Name() string { return Name }

// Send implements bot.Channel.
func (c *Channel) Send(_ context.Context, msg bot.Outgoing) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := fmt.Fprintf(c.out, "%s\n\n", bot.NumberedText(msg.Reply))
	return err
}

// Chat runs one worker's conversation over a reader and writer.
type Chat struct {
	Engine     *bot.Engine
	Dispatcher *bot.Dispatcher
	User       string
	Lang       string
	// Echo writes each input line back as "> line" before its replies, so piped output reads
	// as a transcript; Prompt shows "> " before reading, for a terminal.
	Echo   bool
	Prompt bool
	Out    io.Writer
}

// Run greets the worker (or picks up where they left off), then handles one line at a time
// until EOF or ctx ends. Each line's replies are all printed before the next line is read.
func (c *Chat) Run(ctx context.Context, in io.Reader) error {
	runID := strconv.FormatInt(time.Now().UnixNano(), 36)
	seq := 0
	handle := func(msg bot.Inbound) error {
		seq++
		msg.Channel, msg.ChatID, msg.UserID, msg.Lang = Name, c.User, c.User, c.Lang
		msg.ExternalID = runID + "-" + strconv.Itoa(seq)
		// A failed message is logged by the engine, which also queues an apology: the chat goes on.
		_, _ = c.Engine.Handle(ctx, msg)
		for {
			n, err := c.Dispatcher.DrainOnce(ctx, Name)
			if err != nil {
				return err
			}
			if n == 0 {
				return nil
			}
		}
	}
	if err := handle(bot.Inbound{Kind: bot.KindStart}); err != nil {
		return err
	}
	r := bufio.NewReader(in)
	for {
		if c.Prompt {
			fmt.Fprint(c.Out, "> ")
		}
		line, err := r.ReadString('\n')
		if line == "" && err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		line = strings.TrimRight(line, "\r\n")
		if c.Echo {
			fmt.Fprintf(c.Out, "> %s\n", line)
		}
		if herr := handle(bot.Inbound{Kind: bot.KindText, Text: line}); herr != nil {
			return herr
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}
