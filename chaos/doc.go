// Package chaos is bpubot's crash and fault harness. Its tests run `bpubot serve` as a separate
// process, built from this module, against an in-process fake of the Telegram Bot API
// (bot/telegram/fakeapi), with simulated workers going through the whole sign-up
// (bot/telegram/loadtest), and break things on purpose: the process is killed with SIGKILL
// again and again, PostgreSQL is stopped hard and started again, the Bot API answers with 429s
// and 5xx, and malformed, oversized and forged input is sent. They check that no message a
// worker sent is lost or handled twice, how many replies were sent twice, that the limits hold,
// and how much memory the process used.
//
//	BPUBOT_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	    go test ./chaos -run Chaos -v
//
// Without BPUBOT_TEST_POSTGRES_URL the tests are skipped (they need PostgreSQL, several
// processes sharing one database); the PostgreSQL outage also needs the server's initdb and
// pg_ctl, which CI installs.
package chaos
