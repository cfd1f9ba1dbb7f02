package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newExportCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export data for staff (personal data masked)",
	}
	var format, as string
	var seg segmentFlags
	members := &cobra.Command{
		Use:   "members",
		Short: "List enrollments with their members, NIK and phone masked",
		Long: "List enrollments with their members, NIK and phone masked. The payer column says who pays the premium\n" +
			"(self, sponsor or government) and sponsor names the partner paying it. A member who had their data\n" +
			"erased keeps a row with status erased and nothing personal, so counts still add up. The segment flags\n" +
			"(--partner, --province, ...) are those of `bpubot broadcast create`; partner staff (--as) export only\n" +
			"their own partner's members. A progress bar shows on a terminal.",
		Example: "  bpubot export members --format csv > enrollments.csv\n" +
			"  bpubot export members --format xlsx --regency 3374 > semarang.xlsx",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "csv" && format != "json" && format != "xlsx" {
				return fmt.Errorf("--format: want csv, json or xlsx, got %q", format)
			}
			c, err := root.openStaff(cmd, as, true)
			if err != nil {
				return err
			}
			defer c.Close()
			segment, err := seg.segment(c.svc.Config.Location)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			total, err := c.svc.CountExport(ctx, c.actor, segment)
			if err != nil {
				return c.fail(err)
			}
			bar := newProgress(cmd.ErrOrStderr(), c.lang())
			bar.Start("export", int(total))
			defer bar.Done()
			_, err = c.svc.WriteExport(ctx, c.actor, segment, format, cmd.OutOrStdout(), func() { bar.Add(1) })
			return c.fail(err)
		},
	}
	members.Flags().StringVar(&format, "format", "csv", "csv, json or xlsx (an Excel workbook)")
	seg.add(members.Flags())
	asFlag(members, &as)
	cmd.AddCommand(members)
	return cmd
}
