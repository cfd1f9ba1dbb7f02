package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"bpubot/flows/tariff"
	"bpubot/locales"
)

type premiumOut struct {
	Occupation string `json:"occupation"`
	Payer      string `json:"payer"`
	Monthly    int64  `json:"monthly"`
	Total      int64  `json:"total"`
	Months     []struct {
		Month    string `json:"month"`
		Amount   int64  `json:"amount"`
		Discount int64  `json:"discount"`
	} `json:"months"`
}

func TestPremiumJSON(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		occ     string
		monthly int64
		total   int64
		months  []int64 // amounts
		off     []int64 // discounts
	}{
		{
			name: "a YouTuber from November 2026: the discount ends with December",
			args: []string{"--occupation", "youtuber", "--income", "1000000", "--programmes", "jkk,jkm", "--date", "2026-11-03", "--months", "3"},
			occ:  "kreator", monthly: 8_400, total: 8_400*2 + 16_800,
			months: []int64{8_400, 8_400, 16_800}, off: []int64{8_400, 8_400, 0},
		},
		{
			name: "an ojol with JHT: JHT is never discounted",
			args: []string{"--occupation", "ojol", "--income", "1.000.000", "--programmes", "JHT,jkk,jkm", "--date", "2027-03-31", "--months", "3"},
			occ:  "ojol", monthly: 28_400, total: 28_400 + 2*36_800,
			months: []int64{28_400, 36_800, 36_800}, off: []int64{8_400, 0, 0},
		},
		{
			name: "a domestic helper paid from APBD: no discount",
			args: []string{"--occupation", "pembantu", "--income", "1 juta", "--date", "2026-06-01", "--payer", "government"},
			occ:  "art", monthly: 16_800, total: 16_800,
			months: []int64{16_800}, off: []int64{0},
		},
		{
			name: "a sponsor other than the government keeps the discount",
			args: []string{"--occupation", "pedagang", "--income", "1000000", "--date", "2026-06-01", "--payer", "sponsor"},
			occ:  "pedagang", monthly: 8_400, total: 8_400,
			months: []int64{8_400}, off: []int64{8_400},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := runCLI(t, t.TempDir(), "", append([]string{"premium", "--format", "json"}, tt.args...)...)
			var got premiumOut
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if got.Occupation != tt.occ || got.Monthly != tt.monthly || got.Total != tt.total || len(got.Months) != len(tt.months) {
				t.Fatalf("got %+v", got)
			}
			var sum int64
			for i, m := range got.Months {
				if m.Amount != tt.months[i] || m.Discount != tt.off[i] {
					t.Errorf("month %s: %d (discount %d), want %d (%d)", m.Month, m.Amount, m.Discount, tt.months[i], tt.off[i])
				}
				sum += m.Amount
			}
			if sum != got.Total {
				t.Errorf("months add up to %d, total %d", sum, got.Total)
			}
		})
	}
}

func TestPremiumText(t *testing.T) {
	out := runCLI(t, t.TempDir(), "", "premium", "--occupation", "ojek online", "--income", "2500000", "--date", "2027-02-01", "--months", "6")
	for _, want := range []string{"Ojek / ojol / sopir", "Rp2.500.000", "Februari 2027: Rp15.900/bulan (normal Rp31.800, diskon PP 50/2025)",
		"6 bulan mulai Februari 2027: Rp159.000", "Feb–Mar 2027: 2 × Rp15.900 = Rp31.800", "Apr–Jul 2027: 4 × Rp31.800 = Rp127.200",
		"Juli 2027  Rp31.800"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestPremiumBadFlags(t *testing.T) {
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"premium", "--occupation", "dokter", "--income", "500rb", "--programmes", "jkk", "--date", "3/11/2026", "--months", "2", "--payer", "pemda"})
	t.Chdir(t.TempDir())
	err := cmd.ExecuteContext(context.Background())
	if err == nil {
		t.Fatal("bad flags accepted")
	}
	for _, flag := range []string{"--occupation", "--income", "--programmes", "--date", "--months", "--payer"} {
		if !strings.Contains(err.Error(), flag) {
			t.Errorf("no word about %s in %v", flag, err)
		}
	}
}

// The chat's quote and the command read the same tariff the same way: the chat's period
// lines for this month equal the command's totals.
func TestPremiumAgreesWithTheChat(t *testing.T) {
	dir := t.TempDir()
	chat := runCLI(t, dir, "iurannya berapa?\nojol\n2500000\n", "chat", "--user", "tono")
	for _, n := range tariff.PeriodLengths() {
		out := runCLI(t, dir, "", "premium", "--occupation", "ojol", "--income", "2500000", "--months", strconv.Itoa(n), "--format", "json")
		var got premiumOut
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		line := locales.Text("id", "premium.period_line", "n", n, "amount", locales.Money(got.Total))
		if !strings.Contains(chat, line) {
			t.Errorf("chat has no %q (the command's total for %d months) in:\n%s", line, n, chat)
		}
		if got.Months[0].Month != time.Now().In(time.FixedZone("WIB", 7*3600)).Format("2006-01") {
			t.Errorf("the command quotes from %s by default, want this month", got.Months[0].Month)
		}
	}
	if !regexp.MustCompile(`Rp[0-9.]+/bulan`).MatchString(chat) {
		t.Fatalf("no quote in the chat:\n%s", chat)
	}
}
