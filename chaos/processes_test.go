package chaos

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bpubot/bot/telegram/fakeapi"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// balancer sends each request to the next of its backends in turn, as a load balancer in front
// of several bpubot processes does.
type balancer struct {
	mu       sync.Mutex
	backends []*httputil.ReverseProxy
	next     atomic.Uint64
}

func (b *balancer) add(addr string) {
	u, _ := url.Parse("http://" + addr)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.backends = append(b.backends, httputil.NewSingleHostReverseProxy(u))
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	backends := b.backends
	b.mu.Unlock()
	if len(backends) == 0 {
		http.Error(w, "no backend", http.StatusBadGateway)
		return
	}
	backends[b.next.Add(1)%uint64(len(backends))].ServeHTTP(w, r)
}

// whatsappState is the WhatsApp channel's state a process reports in its metrics.
func (s *serve) whatsappState() string {
	resp, err := http.Get("http://" + s.addr + "/metrics")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, `bpubot_whatsapp_state{state="`); ok && strings.HasSuffix(line, " 1") {
			state, _, _ := strings.Cut(rest, `"`)
			return state
		}
	}
	return ""
}

// TestChaosTwoProcesses runs two `bpubot serve` on one PostgreSQL database, Telegram in webhook
// mode behind a load balancer that alternates between them, while workers sign up: every
// update is handled exactly once and every reply sent once. Exactly one of them holds the
// WhatsApp connection (here: waiting to be paired); when it is killed, the other takes over.
func TestChaosTwoProcesses(t *testing.T) {
	dbURL := postgresURL(t)
	lb := &balancer{}
	front := httptest.NewServer(lb)
	defer front.Close()
	api := fakeapi.New(fakeapi.Options{DropHistory: true, DeliverTo: front.URL + "/telegram/webhook"})
	defer api.Close()
	env := []string{"BPUBOT_TELEGRAM_MODE=webhook", "BPUBOT_TELEGRAM_WEBHOOK_URL=https://bot.example.org/telegram/webhook",
		"BPUBOT_TELEGRAM_WEBHOOK_SECRET=" + webhookSecret, "BPUBOT_WHATSAPP_ENABLED=true", "BPUBOT_WHATSAPP_LOCK_RETRY=1s"}
	procs := []*serve{newServe(t, api, dbURL, env...), newServe(t, api, dbURL, env...)}
	for _, p := range procs {
		p.start()
		lb.add(p.addr)
	}
	// One holds the WhatsApp connection (not paired yet), the other stands by.
	var holder, standby *serve
	deadline := time.Now().Add(guard)
	for holder == nil || standby == nil {
		holder, standby = nil, nil
		for _, p := range procs {
			switch p.whatsappState() {
			case "not_paired":
				holder = p
			case "standby":
				standby = p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no holder and standby: states %q, %q", procs[0].whatsappState(), procs[1].whatsappState())
		}
		time.Sleep(50 * time.Millisecond)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rep := signups(ctx, t, api, 100, 50)
	db := open(t, dbURL)
	checkSignups(t, rep, db)
	handled := modeltest.Count[models.ProcessedInbound](t, db, "")
	if handled != int64(rep.Inbound) {
		t.Errorf("%d updates recorded as handled for %d sent", handled, rep.Inbound)
	}
	if rep.Extra != 0 {
		t.Errorf("%d replies sent twice", rep.Extra)
	}

	killed := time.Now()
	holder.kill()
	for standby.whatsappState() != "not_paired" {
		if time.Since(killed) > guard {
			t.Fatalf("the standby never took the WhatsApp connection over (state %q)", standby.whatsappState())
		}
		time.Sleep(20 * time.Millisecond)
	}
	failover := time.Since(killed)
	t.Logf("two processes, webhooks alternating: %d sign-ups, %d updates handled once each, replies sent twice 0, %.0f msg/s, p99 %s; WhatsApp holder killed, standby took over in %s",
		rep.Users, handled, rep.InboundPerSec, rep.P99.Round(time.Millisecond), failover.Round(time.Millisecond))
	// Normally well under a second (lock_retry is 1s); on a machine loaded far beyond its cores
	// it has taken 25s.
	if failover > 30*time.Second {
		t.Errorf("failover took %s, want within 30s (lock_retry 1s)", failover)
	}
}
