package intent

// Label is an intent the bot can act on. The string values are stable: they
// appear in training data, logs and `bpubot classify` output.
type Label string

// The labels, in the order Labels returns them.
const (
	LabelDaftar      Label = "daftar"       // sign up
	LabelIuranInfo   Label = "iuran_info"   // how much is the premium
	LabelBayar       Label = "bayar"        // how / where to pay
	LabelCekStatus   Label = "cek_status"   // membership or payment status
	LabelKlaimJKK    Label = "klaim_jkk"    // work-accident claim
	LabelKlaimJKM    Label = "klaim_jkm"    // death benefit claim
	LabelKlaimJHT    Label = "klaim_jht"    // old-age savings withdrawal
	LabelManfaat     Label = "manfaat"      // what the benefits are
	LabelPetugas     Label = "petugas"      // talk to a person
	LabelBerhenti    Label = "berhenti"     // stop messages
	LabelHapusData   Label = "hapus_data"   // delete my data
	LabelSalam       Label = "salam"        // greeting
	LabelTerimaKasih Label = "terima_kasih" // thanks
	LabelBantuan     Label = "bantuan"      // help / menu
	LabelUnknown     Label = "unknown"      // anything else
)

// Labels for what workers ask besides the core intents.
const (
	LabelInfoJKK    Label = "info_jkk"    // "what if I have an accident": the JKK benefit, nothing happened
	LabelInfoJKM    Label = "info_jkm"    // "what if I die, what does my family get": the JKM benefit
	LabelSakitBiasa Label = "sakit_biasa" // ordinary illness or hospital bills: BPJS Kesehatan, not us
	LabelPenipuan   Label = "penipuan"    // someone asked for an OTP/PIN/transfer claiming to be BPJS
	LabelJatuhTempo Label = "jatuh_tempo" // when the premium is due
	LabelTelatBayar Label = "telat_bayar" // paying late, arrears, lapse and re-activation
	LabelUbahData   Label = "ubah_data"   // change data already given ("nik saya salah")
	LabelBahasa     Label = "bahasa"      // switch language ("english please", "bahasa indonesia aja")
	LabelSudahBayar Label = "sudah_bayar" // "sudah bayar": the worker says they paid (a self-report)
)

// allLabels fixes each label's index in score vectors; unknown is last.
var allLabels = [...]Label{
	LabelDaftar, LabelIuranInfo, LabelBayar, LabelCekStatus,
	LabelKlaimJKK, LabelKlaimJKM, LabelKlaimJHT, LabelManfaat,
	LabelPetugas, LabelBerhenti, LabelHapusData, LabelSalam,
	LabelTerimaKasih, LabelBantuan,
	LabelInfoJKK, LabelInfoJKM, LabelSakitBiasa, LabelPenipuan,
	LabelJatuhTempo, LabelTelatBayar, LabelUbahData, LabelBahasa,
	LabelSudahBayar, LabelUnknown,
}

const (
	numLabels    = len(allLabels)
	unknownIndex = numLabels - 1
)

// Labels returns every label, unknown last. The caller owns the slice.
func Labels() []Label {
	out := make([]Label, numLabels)
	copy(out, allLabels[:])
	return out
}

// ParseLabel returns the label named s, and false if there is none.
func ParseLabel(s string) (Label, bool) {
	i := labelIndex(Label(s))
	if i < 0 {
		return "", false
	}
	return allLabels[i], true
}

func labelIndex(l Label) int {
	for i, x := range allLabels {
		if x == l {
			return i
		}
	}
	return -1
}

// Scored is a label with the classifier's probability for it.
type Scored struct {
	Label Label
	Score float64
}
