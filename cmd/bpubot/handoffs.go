package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"bpubot/bot"
	"bpubot/locales"
	"bpubot/models"

	"github.com/spf13/cobra"
)

func newHandoffsCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "handoffs",
		Short: "Requests from workers to talk to a person",
	}
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "List open requests, oldest first, with what the worker added (chat ids masked)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, db, _, err := root.openDB(cmd)
			if err != nil {
				return err
			}
			defer models.Close(db)
			reqs, err := models.OpenHandoffs(db.WithContext(cmd.Context()), limit)
			if err != nil {
				return err
			}
			ids := make([]int64, len(reqs))
			for i, r := range reqs {
				ids[i] = r.ID
			}
			added, err := models.HandoffMessages(db.WithContext(cmd.Context()), ids)
			if err != nil {
				return err
			}
			loc, _ := time.LoadLocation(cfg.Conversation.TimeZone)
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			lang := cfg.Conversation.DefaultLang
			fmt.Fprintln(w, locales.Text(lang, "staff.handoffs_header"))
			for _, r := range reqs {
				member := "-"
				if r.MemberID != nil {
					member = strconv.FormatInt(*r.MemberID, 10)
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.CreatedAt.In(loc).Format("2006-01-02 15:04"),
					r.Channel, bot.MaskID(r.ChatID), member, oneLine(r.Question))
				// What the worker wrote after asking, each under the request with its time.
				for _, m := range added[r.ID] {
					fmt.Fprintf(w, "\t%s\t\t\t\t+ %s\n", m.CreatedAt.In(loc).Format("2006-01-02 15:04"), oneLine(m.Text))
				}
			}
			if err := w.Flush(); err != nil {
				return err
			}
			if len(reqs) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), locales.Text(lang, "staff.handoffs_none"))
			}
			return nil
		},
	}
	list.Flags().IntVar(&limit, "limit", 100, "most requests to show")
	closeCmd := &cobra.Command{
		Use:   "close ID",
		Short: "Mark a request as dealt with",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("ID: want a number, got %q", args[0])
			}
			cfg, db, _, err := root.openDB(cmd)
			if err != nil {
				return err
			}
			defer models.Close(db)
			lang := cfg.Conversation.DefaultLang
			if err := models.CloseHandoff(db.WithContext(cmd.Context()), id, time.Now()); models.IsNotFound(err) {
				return errors.New(locales.Text(lang, "staff.handoff_not_open", "id", id))
			} else if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), locales.Text(lang, "staff.handoff_closed", "id", id))
			return nil
		},
	}
	cmd.AddCommand(list, closeCmd)
	return cmd
}

// oneLine keeps a worker's message on its row.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
