package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"bpubot/bot/staff"
	"bpubot/locales"

	"github.com/spf13/cobra"
)

func newHandoffsCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "handoffs",
		Short: "Requests from workers to talk to a person",
		Long: "Requests from workers to talk to a person. Staff usually answer them in the Telegram staff group\n" +
			"(telegram.staff_chat_id): the Ambil and Tutup buttons, replying to a request's messages, /balas and\n" +
			"/selesai. These commands do the same from the server; reply needs --as (the worker is told who answers).",
	}
	run := root.staffRunner(cmd)
	var limit int
	var closed bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List open requests, oldest first, with what the worker added (chat ids, NIKs and phone numbers masked)",
		Args:  cobra.NoArgs,
		RunE: run(func(cmd *cobra.Command, c *staffCLI, _ []string) error {
			status := ""
			if closed {
				status = "closed"
			}
			hs, err := c.svc.Handoffs(cmd.Context(), c.actor, status, limit)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, locales.Text(c.lang(), "staff.handoffs_header"))
			loc := c.svc.Config.Location
			for _, h := range hs {
				member := "-"
				if h.MemberID != nil {
					member = strconv.FormatInt(*h.MemberID, 10)
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", h.ID, h.CreatedAt.In(loc).Format("2006-01-02 15:04"),
					h.Channel, h.Chat, member, oneLine(h.Question))
				// What the worker wrote after asking, each under the request with its time.
				for _, m := range h.Messages {
					fmt.Fprintf(w, "\t%s\t\t\t\t+ %s\n", m.CreatedAt.In(loc).Format("2006-01-02 15:04"), oneLine(m.Text))
				}
			}
			if err := w.Flush(); err != nil {
				return err
			}
			if len(hs) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), "staff.handoffs_none"))
			}
			return nil
		}),
	}
	list.Flags().IntVar(&limit, "limit", 100, "most requests to show")
	list.Flags().BoolVar(&closed, "closed", false, "closed requests instead, newest first")
	closeCmd := &cobra.Command{
		Use:   "close ID",
		Short: "Close a request: the worker is told, and the bot answers them again",
		Args:  cobra.ExactArgs(1),
		RunE: run(withID(func(cmd *cobra.Command, c *staffCLI, id int64, _ []string) error {
			if err := c.svc.CloseHandoff(cmd.Context(), c.actor, id); err != nil {
				if errors.Is(err, staff.ErrNotFound) || errors.Is(err, staff.ErrState) {
					return errors.New(locales.Text(c.lang(), "staff.handoff_not_open", "id", id))
				}
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), "staff.handoff_closed", "id", id))
			return nil
		})),
	}
	reply := &cobra.Command{
		Use:     "reply ID TEXT --as NAME",
		Short:   "Send a worker an answer to their request, on their own channel",
		Example: "  bpubot handoffs reply 12 \"Kartunya sudah jadi, bisa diambil di kantor cabang.\" --as Rina",
		Args:    cobra.MinimumNArgs(2),
		RunE: run(withID(func(cmd *cobra.Command, c *staffCLI, id int64, text []string) error {
			if c.actor.ID == 0 {
				return fmt.Errorf("--as: %s", locales.Text(c.lang(), "staff.take_needs_staff"))
			}
			if err := c.svc.ReplyHandoff(cmd.Context(), c.actor, id, strings.Join(text, " ")); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), "staff.handoff_replied", "id", id))
			return nil
		})),
	}
	cmd.AddCommand(list, closeCmd, reply)
	return cmd
}

// oneLine keeps a worker's message on its row.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
