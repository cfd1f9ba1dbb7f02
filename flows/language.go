package flows

import (
	"bpubot/flows/intent"
)

// Language: "ganti bahasa" without saying which asks which one.
var flowLanguage *Flow

const nameLanguage = "bahasa"

func init() {
	flowLanguage = register(&Flow{
		Name: nameLanguage, Labels: []intent.Label{intent.LabelBahasa},
		Resume: "common.resume_question", BackTo: "common.back_to_question",
		Steps: []*Step{
			{Name: "which", Ask: "language.which", Options: languageOptions, Parse: picked("common.pick_one"), Save: chooseLanguage},
		},
	})
}

func languageOptions(x *run) []Option {
	return optionsOf(x, "language.name_id", "id", "language.name_en", "en")
}

func chooseLanguage(x *run, lang string) (string, error) {
	x.Conv.Lang = lang
	x.say(x.t("language.switched"))
	return Quit, nil
}
