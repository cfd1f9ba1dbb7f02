package main

import (
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"bpubot/bot"
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
		Short: "List open requests, oldest first (chat ids masked)",
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
			loc, _ := time.LoadLocation(cfg.Conversation.TimeZone)
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tWHEN\tCHANNEL\tCHAT\tMEMBER\tQUESTION")
			for _, r := range reqs {
				member := "-"
				if r.MemberID != nil {
					member = strconv.FormatInt(*r.MemberID, 10)
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.CreatedAt.In(loc).Format("2006-01-02 15:04"),
					r.Channel, bot.MaskID(r.ChatID), member, r.Question)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			if len(reqs) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "no open requests")
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
			_, db, _, err := root.openDB(cmd)
			if err != nil {
				return err
			}
			defer models.Close(db)
			if err := models.CloseHandoff(db.WithContext(cmd.Context()), id, time.Now()); models.IsNotFound(err) {
				return fmt.Errorf("no open request %d", id)
			} else if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "request %d closed\n", id)
			return nil
		},
	}
	cmd.AddCommand(list, closeCmd)
	return cmd
}
