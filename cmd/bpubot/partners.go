package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"bpubot/locales"
	"bpubot/models"

	"github.com/spf13/cobra"
)

func newPartnersCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "partners",
		Short: "Partner and sponsor codes that workers sign up with",
		Long:  "Partners (youth organisations, local governments, companies) enrol workers with a code, typed at the\nend of sign-up or carried by a link (Telegram t.me/<bot>?start=<code>, WhatsApp wa.me/<number>?text=DAFTAR%20<code>).\nA sponsored partner pays the premium; a government sponsor (APBN/APBD) also excludes the PP 50/2025 discount.",
	}
	var sponsored, gov bool
	add := &cobra.Command{
		Use:     "add CODE NAME",
		Short:   "Add a partner code",
		Example: "  bpubot partners add ansor_jateng \"GP Ansor Jawa Tengah\"\n  bpubot partners add pemkab_blitar \"Pemkab Blitar\" --gov",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, db, _, err := root.openDB(cmd)
			if err != nil {
				return err
			}
			defer models.Close(db)
			p, err := models.AddPartner(db.WithContext(cmd.Context()), args[0], args[1], sponsored, gov, time.Now())
			if err != nil {
				return err
			}
			lang := cfg.Conversation.DefaultLang
			fmt.Fprintln(cmd.OutOrStdout(), locales.Text(lang, "staff.partner_added", "code", p.Code, "kind", describePartner(lang, *p)))
			return nil
		},
	}
	add.Flags().BoolVar(&sponsored, "sponsored", false, "the partner pays its workers' premiums")
	add.Flags().BoolVar(&gov, "gov", false, "a government sponsor paying from APBN/APBD (implies --sponsored; no PP 50/2025 discount)")
	list := &cobra.Command{
		Use:   "list",
		Short: "List partner codes",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, db, _, err := root.openDB(cmd)
			if err != nil {
				return err
			}
			defer models.Close(db)
			lang := cfg.Conversation.DefaultLang
			ps, err := models.Partners(db.WithContext(cmd.Context()))
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, locales.Text(lang, "staff.partners_header"))
			for _, p := range ps {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", p.Code, p.Name, describePartner(lang, p), yesNo(lang, p.Active))
			}
			return w.Flush()
		},
	}
	toggle := func(use, short string, active bool) *cobra.Command {
		return &cobra.Command{
			Use: use + " CODE", Short: short, Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				cfg, db, _, err := root.openDB(cmd)
				if err != nil {
					return err
				}
				defer models.Close(db)
				if err := models.SetPartnerActive(db.WithContext(cmd.Context()), args[0], active); models.IsNotFound(err) {
					return fmt.Errorf("no partner %q", args[0])
				} else if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), locales.Text(cfg.Conversation.DefaultLang, "staff.partner_active", "code", args[0], "active", yesNo(cfg.Conversation.DefaultLang, active)))
				return nil
			},
		}
	}
	cmd.AddCommand(add, list, toggle("disable", "Stop accepting a code", false), toggle("enable", "Accept a code again", true))
	return cmd
}

func describePartner(lang string, p models.Partner) string {
	switch {
	case p.GovSponsored:
		return locales.Text(lang, "staff.partner_gov")
	case p.Sponsored:
		return locales.Text(lang, "staff.partner_sponsor")
	}
	return locales.Text(lang, "staff.partner_plain")
}

func yesNo(lang string, b bool) string {
	if b {
		return locales.Text(lang, "staff.yes")
	}
	return locales.Text(lang, "staff.no")
}
