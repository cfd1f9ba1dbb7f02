//go:build loadtest

package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"bpubot/bot/telegram/fakeapi"

	"github.com/spf13/cobra"
)

// newFakeAPICmd is `bpubot loadtest fakeapi`: the fake Bot API on its own, for runs that drive
// `bpubot serve` from outside, such as a crash test of a broadcast (kill -9 of serve in the
// middle, a restart, then the count of who got the announcement how often).
func newFakeAPICmd() *cobra.Command {
	var rate, workers int
	var marker string
	var hello bool
	cmd := &cobra.Command{
		Use:   "fakeapi",
		Short: "Run the fake Telegram Bot API until stopped, then print who got the announcement how often",
		Long: "Run the fake Telegram Bot API in the foreground. It prints its URL and token first (url=... token=...):\n" +
			"point `bpubot serve` at it (BPUBOT_TELEGRAM_SERVER_URL, BPUBOT_TELEGRAM_TOKEN). --workers N simulated\n" +
			"workers (chats 1000000…) each write \"halo\" once at the start, so they are chats that wrote first.\n" +
			"On SIGINT or SIGTERM it prints, as JSON, the messages it took, the most in any one second, its 429s,\n" +
			"and for the messages containing --marker (the announcements' stop line): how many chats got one, got\n" +
			"more than one (duplicates), and of the workers, got none (lost).",
		Example: "  bpubot loadtest fakeapi --workers 2000 --rate-limit 25 > fake.out &\n" +
			"  BPUBOT_TELEGRAM_ENABLED=true BPUBOT_TELEGRAM_TOKEN=123456:fake-token \\\n" +
			"    BPUBOT_TELEGRAM_SERVER_URL=$(sed -n 's/^url=\\([^ ]*\\).*/\\1/p' fake.out) bpubot serve &\n" +
			"  bpubot broadcast create --text-file t.txt --channel telegram && bpubot broadcast send 1 --yes\n" +
			"  # kill -9 serve in the middle, start it again, wait for `bpubot broadcast status 1`, stop the fake",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			api := fakeapi.New(fakeapi.Options{RateLimit: rate, ChatInterval: time.Second, DropHistory: true})
			defer api.Close()
			var mu sync.Mutex
			got := map[int64]int{}
			api.OnSend(func(m fakeapi.Message) {
				if strings.Contains(m.Text, marker) {
					mu.Lock()
					got[m.ChatID]++
					mu.Unlock()
				}
			})
			fmt.Fprintf(cmd.OutOrStdout(), "url=%s token=%s\n", api.URL, api.Token)
			go func() {
				// Once the bot polls: every worker says hello, a few a second per hundred.
				if !hello {
					return
				}
				for api.Polls() == 0 && cmd.Context().Err() == nil {
					time.Sleep(100 * time.Millisecond)
				}
				for i := range workers {
					if cmd.Context().Err() != nil {
						return
					}
					api.User(1000000+int64(i), "Pekerja "+strconv.Itoa(i)).Text("halo")
					if i%100 == 99 {
						time.Sleep(time.Second)
					}
				}
			}()
			<-cmd.Context().Done()
			mu.Lock()
			defer mu.Unlock()
			over, early := api.Violations()
			stats := struct {
				Sent, MaxPerSecond, Refused, Announced, Duplicated, Extra, Lost int
			}{Sent: api.Sent(), MaxPerSecond: api.MaxPerSecond(), Refused: over + early, Announced: len(got)}
			for _, n := range got {
				if n > 1 {
					stats.Duplicated++
					stats.Extra += n - 1
				}
			}
			for i := range workers {
				if got[1000000+int64(i)] == 0 {
					stats.Lost++
				}
			}
			return json.NewEncoder(cmd.OutOrStdout()).Encode(stats)
		},
	}
	cmd.Flags().IntVar(&rate, "rate-limit", 25, "the most messages the fake takes in any one second (more get 429)")
	cmd.Flags().IntVar(&workers, "workers", 0, "simulated workers who write \"halo\" once at the start")
	cmd.Flags().BoolVar(&hello, "hello", true, "the workers write at the start (false: they wrote before, to an earlier fake, and are only counted)")
	cmd.Flags().StringVar(&marker, "marker", "Balas BERHENTI", "the text that marks an announcement")
	return cmd
}
