package main

import (
	"bpubot/flows/intent"

	"github.com/spf13/cobra"
)

func newClassifyCmd() *cobra.Command {
	var explain bool
	cmd := &cobra.Command{
		Use:     "classify",
		Short:   "Classify messages from stdin: one per line, prints label<TAB>confidence",
		Long:    "Reads one message per line from standard input and prints, in order, the intent the bot understands\n(daftar, iuran_info, bayar, cek_status, klaim_jkk, klaim_jkm, klaim_jht, manfaat, petugas, berhenti,\nhapus_data, salam, terima_kasih, bantuan or unknown) and its confidence. Needs no database.",
		Example: "  echo 'gmn cara dftr' | bpubot classify\n  bpubot classify --explain < messages.txt",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return intent.RunClassify(cmd.InOrStdin(), cmd.OutOrStdout(), explain)
		},
	}
	cmd.Flags().BoolVar(&explain, "explain", false, "show why: normalised words, rewrites and the features that decided")
	return cmd
}
