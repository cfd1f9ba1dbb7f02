package flows

import (
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"bpubot/flows/intent"
	"bpubot/flows/occupation"
	"bpubot/flows/tariff"
	"bpubot/flows/validate"
	"bpubot/flows/words"
	"bpubot/locales"
	"bpubot/models"
)

// Sign-up, question by question. Each step says what it asks, what it offers and what an
// answer means; the runner does the rest (re-prompts, "kembali", "ubah", "batal", pauses).
var flowSignup *Flow

const nameSignup = "signup"

// Sign-up steps.
const (
	stConsent         = "consent"
	stName            = "name"
	stNIK             = "nik"
	stNIKConfirm      = "nik_confirm"
	stPhone           = "phone"
	stOccupation      = "occupation"
	stOccupationOther = "occupation_other"
	stProvince        = "province"
	stCity            = "city"
	stCityPick        = "city_pick"
	stPartner         = "partner"
	stIncome          = "income"
	stPackage         = "package"
	stPeriod          = "period"
	stSummary         = "summary"
)

func init() {
	flowSignup = register(&Flow{
		Name: nameSignup, Labels: []intent.Label{intent.LabelDaftar},
		Start: startSignupRun, Finish: finishSignup, Clear: clearSignup,
		Cancelled: "signup.cancelled", Resume: "signup.resume_question", BackTo: "signup.back_to_question",
		ConfirmCancel: true, Keep: true,
		Steps: []*Step{
			{Name: stConsent, Ask: "signup.ask_consent", Args: consentArgs,
				Options: consentOptions, Parse: picked("signup.consent_invalid"), Save: saveConsent, Goes: []string{Quit}},
			{Name: stName, Counted: true, FreeText: true, Field: "name", Slot: slotName,
				Ask: "signup.ask_name", Parse: parseName},
			{Name: stNIK, Counted: true, Numeric: true, Field: "nik", Slot: slotNIKSealed,
				Ask: "signup.ask_nik", Parse: parseNIK, Save: saveNIK, Goes: []string{Quit}},
			{Name: stNIKConfirm, FollowUp: true, Ask: "signup.ask_nik_confirm", Args: nikConfirmArgs,
				Options: yesNoOptions, Parse: picked("common.yes_no_invalid"), Save: saveNIKConfirm, Goes: []string{stNIK}},
			{Name: stPhone, Counted: true, Numeric: true, Contact: true, Field: "phone", Slot: slotPhone, Skip: phoneFromChannel,
				Ask: "signup.ask_phone", Parse: parsePhone, Save: savePhone},
			{Name: stOccupation, Counted: true, Field: "occupation", Slot: slotOccupation,
				Ask: "signup.ask_occupation", Options: occupationOptions, Parse: parseOccupation, Save: saveOccupation},
			{Name: stOccupationOther, FollowUp: true, FreeText: true, Slot: slotOccOther, Skip: occupationNamed,
				Ask: "signup.ask_occupation_other", Parse: parseOccupationOther},
			{Name: stProvince, Counted: true, Field: "place", Slot: slotProvince,
				Ask: "signup.ask_province", Options: provinceOptions, Suggests: true, Parse: parseProvince, Save: saveProvince},
			{Name: stCity, Counted: true, FollowUp: true, FreeText: true, Slot: slotRegency,
				Ask: "signup.ask_city", Args: cityArgs, Options: nikRegencyOption, Suggests: true, Parse: parseCity, Save: saveCity},
			{Name: stCityPick, FollowUp: true, Skip: noCityChoice,
				Text: cityPickQuestion, Options: cityChoices, Parse: parseCityPick, Save: saveCity},
			{Name: stPartner, Counted: true, Field: "partner", Slot: slotPartner, Skip: partnerFromLink,
				Ask: "signup.ask_partner", Options: partnerOptions, Parse: parsePartner, Save: savePartner},
			{Name: stIncome, Counted: true, Numeric: true, Field: "income", Slot: slotIncome,
				Ask: "signup.ask_income", Args: incomeBounds, Options: incomeOptions, Parse: parseIncomeAnswer},
			{Name: stPackage, Counted: true, Field: "package", Slot: slotPackage, Skip: sponsored,
				Ask: "signup.ask_package", Options: packageOptions, Parse: parsePackage, Save: savePackage},
			{Name: stPeriod, Counted: true, Numeric: true, Field: "period", Slot: slotPeriod, Skip: sponsored,
				Text: periodQuestion, Options: periodOptions, Parse: parsePeriod},
			{Name: stSummary, Text: summary,
				Options: summaryOptions, Parse: picked("signup.summary_invalid"), Save: confirmSummary},
		},
	})
}

// Slots: what the worker has entered so far, kept in Conversation.Slots between messages.
const (
	slotConsentAt      = "consent_at"
	slotConsentVersion = "consent_version"
	slotName           = "name"
	slotNIKSealed      = "nik_sealed" // AES-GCM, base64: the NIK is never stored in clear
	slotNIKMasked      = "nik_masked" // keeps the province and regency digits
	slotBirthDate      = "birth_date"
	slotSex            = "sex"
	slotPhone          = "phone"
	slotPhoneSource    = "phone_source" // "channel" (WhatsApp told us) or "typed"
	slotOccupation     = "occupation"
	slotOccOther       = "occupation_other"
	slotProvince       = "province"
	slotRegency        = "regency"      // Kemendagri code of the kabupaten/kota
	slotCityChoices    = "city_choices" // codes of the regencies a name fits, to pick from
	slotPartner        = "partner"      // partner code, "-" for none
	slotPartnerName    = "partner_name"
	slotPayer          = "payer"        // who pays: payerSelf, payerSponsor, payerGov
	slotPackageAuto    = "package_auto" // the package came with a sponsor, not from the worker
	slotIncome         = "income"
	slotPackage        = "package"
	slotPeriod         = "period"
	slotLinkPartner    = "link_partner" // partner code a deep link brought; kept until registered
)

// Who pays the premium.
const (
	payerSelf    = "self"
	payerSponsor = "sponsor"
	payerGov     = "government"
)

// signupSlots are cleared when a sign-up ends or starts again (the deep link's partner stays).
var signupSlots = []string{slotConsentAt, slotConsentVersion, slotName, slotNIKSealed, slotNIKMasked, slotBirthDate,
	slotSex, slotPhone, slotPhoneSource, slotOccupation, slotOccOther, slotProvince, slotRegency, slotCityChoices,
	slotPartner, slotPartnerName, slotPayer, slotPackageAuto, slotIncome, slotPackage, slotPeriod}

func clearSignup(x *run) {
	for _, k := range signupSlots {
		delete(x.slots, k)
	}
}

// startSignup is "daftar": show what this chat registered already, offer to continue a sign-up
// left half-way, or begin.
func (r *Router) startSignup(x *run) error {
	if x.flow() == flowSignup {
		return r.repeat(x)
	}
	if x.Conv.MemberID != nil && x.In.Input() != "daftar_lain" {
		st, err := r.member(x)
		if err != nil {
			return err
		}
		if st != nil {
			x.say(x.t("signup.already_member")+"\n\n"+r.statusText(x, st),
				x.choice("signup.register_other", "daftar_lain"), x.choice("common.to_menu", "menu"))
			return r.done(x, false)
		}
	}
	if ok, err := r.resumeSaved(x, flowSignup); ok || err != nil {
		return err
	}
	return r.startFlow(x, flowSignup)
}

// startSignupRun begins with the partner of a deep link, if one brought the worker.
func startSignupRun(x *run) error {
	code := x.slots[slotLinkPartner]
	if code == "" {
		return nil
	}
	p, err := x.partner(code)
	if err != nil {
		return err
	}
	if p == nil {
		delete(x.slots, slotLinkPartner)
		return nil
	}
	applyPartner(x, p)
	return nil
}

// ---- consent -------------------------------------------------------------------------------

func consentArgs(x *run) []any { return []any{"version", x.r.Config.ConsentVersion} }

func consentOptions(x *run) []Option {
	return []Option{
		{Label: x.t("signup.consent_yes"), Value: "setuju", Means: words.Agree | words.Yes},
		{Label: x.t("signup.consent_no"), Value: "tidak", Means: words.No},
	}
}

func saveConsent(x *run, v string) (string, error) {
	if v != "setuju" {
		x.say(x.t("signup.consent_declined"), x.choice("menu.signup", "daftar"), x.choice("common.to_menu", "menu"))
		return Quit, nil
	}
	x.slots[slotConsentAt] = x.Now.UTC().Format(time.RFC3339)
	x.slots[slotConsentVersion] = x.r.Config.ConsentVersion
	return "", nil
}

// ---- name ----------------------------------------------------------------------------------

func parseName(x *run, a Answer) (string, error) {
	name, err := validate.ValidateName(x.r.words().StripLeadIn(a.Text))
	if err != nil {
		return "", invalid("validate." + string(validate.CodeOf(err)))
	}
	return name, nil
}

// ---- NIK -----------------------------------------------------------------------------------

func parseNIK(x *run, a Answer) (string, error) {
	nik, err := validate.ParseNIK(a.Text, x.today())
	if err != nil {
		return "", invalid("validate." + string(validate.CodeOf(err)))
	}
	cfg := x.r.Config
	if age := nik.Age(x.today()); age < cfg.MinAge || age > cfg.MaxAge {
		return "", invalid("signup.age_out_of_range", "min", cfg.MinAge, "max", cfg.MaxAge)
	}
	return nik.Number, nil
}

// saveNIK keeps the NIK sealed, with what it tells (birth date, sex, where it was issued). A
// NIK registered already ends the sign-up; nothing of that registration is shown unless it
// was made from this chat.
func saveNIK(x *run, number string) (string, error) {
	nik, err := validate.ParseNIK(number, x.today())
	if err != nil {
		return "", err
	}
	member, err := models.FindMemberByNIKHash(x.Tx, x.r.Sealer.Hash(nik.Number))
	switch {
	case err == nil:
		alreadyRegistered(x, member)
		return Quit, nil
	case !errors.Is(err, models.ErrNotFound):
		return "", err
	}
	x.slots[slotNIKSealed] = base64.StdEncoding.EncodeToString(x.r.Sealer.Seal(nik.Number))
	x.slots[slotNIKMasked] = models.MaskNIK(nik.Number)
	x.slots[slotBirthDate] = nik.BirthDate.Format(time.DateOnly)
	x.slots[slotSex] = "L"
	if nik.Female {
		x.slots[slotSex] = "P"
	}
	if x.In.Phone != "" && x.slots[slotPhone] == "" {
		if phone, err := validate.NormalizePhone(x.In.Phone); err == nil {
			x.slots[slotPhone] = phone
			x.slots[slotPhoneSource] = "channel"
		}
	}
	return "", nil
}

// alreadyRegistered tells the worker the NIK is registered. Another chat's registration stays
// private: the worker is sent to staff, who can check who they are.
func alreadyRegistered(x *run, m *models.Member) {
	if x.Conv.MemberID != nil && *x.Conv.MemberID == m.ID {
		x.say(x.t("signup.nik_yours"), x.choice("menu.status", "status"), x.choice("common.to_menu", "menu"))
		return
	}
	x.say(x.t("signup.nik_registered"), x.choice("menu.human", "petugas"), x.choice("common.to_menu", "menu"))
}

func nikConfirmArgs(x *run) []any {
	return []any{"birth", birthText(x), "sex", x.t("sex." + x.slots[slotSex])}
}

func yesNoOptions(x *run) []Option {
	return []Option{
		{Label: x.t("common.yes_right"), Value: "ya", Means: words.Yes | words.Agree},
		{Label: x.t("common.no_wrong"), Value: "bukan", Means: words.No},
	}
}

func saveNIKConfirm(x *run, v string) (string, error) {
	if v == "ya" {
		return "", nil
	}
	for _, k := range []string{slotNIKSealed, slotNIKMasked, slotBirthDate, slotSex} {
		delete(x.slots, k)
	}
	x.note = "signup.nik_recheck"
	return stNIK, nil
}

func birthText(x *run) string {
	d, err := time.Parse(time.DateOnly, x.slots[slotBirthDate])
	if err != nil {
		return ""
	}
	return locales.Date(x.lang(), d)
}

// ---- phone ---------------------------------------------------------------------------------

func phoneFromChannel(x *run) bool { return x.slots[slotPhoneSource] == "channel" }

func parsePhone(x *run, a Answer) (string, error) {
	text := a.Text
	if c := a.Contact; c != nil {
		if c.UserID != "" && c.UserID != x.In.UserID {
			return "", invalid("signup.contact_not_own")
		}
		text = c.Phone
	}
	phone, err := validate.NormalizePhone(text)
	if err != nil {
		return "", invalid("validate." + string(validate.CodeOf(err)))
	}
	return phone, nil
}

func savePhone(x *run, phone string) (string, error) {
	x.slots[slotPhone] = phone
	x.slots[slotPhoneSource] = "typed"
	return "", nil
}

// ---- occupation ----------------------------------------------------------------------------

func occupationOptions(x *run) []Option {
	codes := occupation.Codes()
	out := make([]Option, len(codes))
	for i, code := range codes {
		out[i] = Option{Label: x.t("occupation." + code), Value: code}
	}
	return out
}

// otherPrefix marks an occupation typed in words that fits no listed one ("penjahit"): kept as
// "lainnya" with those words.
const otherPrefix = "lainnya:"

func parseOccupation(x *run, a Answer) (string, error) {
	if a.Value != "" {
		return a.Value, nil
	}
	if a.Kinds != words.None {
		return "", invalid("signup.occupation_invalid") // "ya", "tidak": not a job
	}
	text := x.r.words().StripLeadIn(a.Text)
	if code := occupation.Match(text); code != "" {
		return code, nil
	}
	job, err := validate.ValidatePlace(text)
	if err != nil || strings.ContainsAny(text, "0123456789") || len(strings.Fields(text)) > 5 {
		return "", invalid("signup.occupation_invalid")
	}
	return otherPrefix + job, nil
}

func saveOccupation(x *run, v string) (string, error) {
	delete(x.slots, slotOccOther)
	if job, ok := strings.CutPrefix(v, otherPrefix); ok {
		v = "lainnya"
		x.slots[slotOccOther] = job
	}
	x.slots[slotOccupation] = v
	return "", nil
}

// occupationNamed: the worker gave a listed occupation, or their own words with "lainnya".
func occupationNamed(x *run) bool {
	return x.slots[slotOccupation] != "lainnya" || x.slots[slotOccOther] != ""
}

func parseOccupationOther(x *run, a Answer) (string, error) {
	job, err := validate.ValidatePlace(x.r.words().StripLeadIn(a.Text))
	if err != nil {
		return "", invalid("signup.occupation_other_invalid")
	}
	return job, nil
}

// ---- where they live -----------------------------------------------------------------------

// nikRegency is the regency a NIK was issued in, from the digits its mask keeps.
func nikRegency(x *run) (validate.Regency, bool) {
	masked := x.slots[slotNIKMasked]
	if len(masked) < 4 {
		return validate.Regency{}, false
	}
	return validate.RegencyByCode(masked[:4])
}

func provinceOptions(x *run) []Option {
	masked := x.slots[slotNIKMasked]
	if len(masked) < 2 {
		return nil
	}
	if p, ok := validate.ProvinceByCode(masked[:2]); ok {
		return []Option{{Label: p.Display(x.lang()), Value: p.Code}}
	}
	return nil
}

func parseProvince(_ *run, a Answer) (string, error) {
	if p, ok := validate.ProvinceByCode(a.Value); ok {
		return p.Code, nil
	}
	if p, ok := validate.MatchProvince(a.Text); ok {
		return p.Code, nil
	}
	return "", invalid("signup.province_invalid")
}

// saveProvince keeps the province; a different one than before needs its own city again.
func saveProvince(x *run, code string) (string, error) {
	if x.slots[slotProvince] != code {
		for _, k := range []string{slotRegency, slotCityChoices} {
			delete(x.slots, k)
		}
	}
	x.slots[slotProvince] = code
	return "", nil
}

func provinceName(x *run) string {
	if p, ok := validate.ProvinceByCode(x.slots[slotProvince]); ok {
		return p.Display(x.lang())
	}
	return ""
}

func cityArgs(x *run) []any { return []any{"province", provinceName(x), "example", cityExample(x)} }

// cityExample names two regencies of the province chosen, the way workers may write them.
func cityExample(x *run) string {
	var kab, kota string
	for _, r := range validate.RegenciesOf(x.slots[slotProvince]) {
		switch {
		case r.Kind == validate.Kabupaten && kab == "":
			kab = r.Short(x.lang())
		case r.Kind == validate.Kota && kota == "":
			kota = r.Short(x.lang())
		}
	}
	return strings.Trim(kab+", "+kota, ", ")
}

// nikRegencyOption offers the regency the NIK was issued in, when it is in the province chosen.
func nikRegencyOption(x *run) []Option {
	if r, ok := nikRegency(x); ok && r.ProvinceCode == x.slots[slotProvince] {
		return []Option{{Label: r.Short(x.lang()), Value: r.Code}}
	}
	return nil
}

// parseCity reads a kabupaten or kota of the province chosen: one found is its code; several
// ("bogor") are their codes, to choose from; one in another province is said so.
func parseCity(x *run, a Answer) (string, error) {
	if r, ok := validate.RegencyByCode(a.Value); ok {
		return r.Code, nil
	}
	province := x.slots[slotProvince]
	found := validate.MatchRegency(province, a.Text)
	if len(found) == 0 {
		elsewhere := validate.FindRegency(a.Text)
		if len(elsewhere) > 0 && elsewhere[0].ProvinceCode != province {
			r := elsewhere[0]
			return "", invalid("signup.city_other_province", "city", r.Display(x.lang()),
				"other", r.Province().Display(x.lang()), "province", provinceName(x))
		}
		return "", invalid("signup.city_invalid", cityArgs(x)...)
	}
	codes := make([]string, len(found))
	for i, r := range found {
		codes[i] = r.Code
	}
	return strings.Join(codes, ","), nil
}

// saveCity keeps the regency, or the regencies to choose from.
func saveCity(x *run, codes string) (string, error) {
	if strings.Contains(codes, ",") {
		x.slots[slotCityChoices] = codes
		delete(x.slots, slotRegency)
		return "", nil
	}
	delete(x.slots, slotCityChoices)
	x.slots[slotRegency] = codes
	return "", nil
}

func noCityChoice(x *run) bool { return x.slots[slotCityChoices] == "" }

func cityChoices(x *run) []Option {
	var out []Option
	for _, code := range strings.Split(x.slots[slotCityChoices], ",") {
		if r, ok := validate.RegencyByCode(code); ok {
			out = append(out, Option{Label: r.Display(x.lang()), Value: r.Code})
		}
	}
	return out
}

// parseCityPick reads which of the regencies offered is meant: a choice, or words naming one
// of them only ("kab bogor", "kotanya").
func parseCityPick(x *run, a Answer) (string, error) {
	if a.Value != "" {
		return a.Value, nil
	}
	offered := strings.Split(x.slots[slotCityChoices], ",")
	var match []string
	for _, r := range validate.MatchRegency(x.slots[slotProvince], a.Text) {
		if slices.Contains(offered, r.Code) {
			match = append(match, r.Code)
		}
	}
	if len(match) != 1 {
		return "", invalid("common.pick_one")
	}
	return match[0], nil
}

// cityPickQuestion asks "Kota Bogor atau Kabupaten Bogor?".
func cityPickQuestion(x *run) string {
	opts := cityChoices(x)
	names := make([]string, len(opts))
	for i, o := range opts {
		names[i] = o.Label
	}
	return x.t("signup.ask_city_pick", "choices", orList(x, names))
}

// orList joins names as "A, B atau C".
func orList(x *run, names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + x.t("common.or") + " " + names[len(names)-1]
}

// regencyName is where the worker lives, for the summary and the member row.
func regencyName(x *run, lang string) string {
	if r, ok := validate.RegencyByCode(x.slots[slotRegency]); ok {
		return r.Display(lang)
	}
	return ""
}

// ---- partner or sponsor --------------------------------------------------------------------

func partnerFromLink(x *run) bool { return x.slots[slotLinkPartner] != "" }

func partnerOptions(x *run) []Option {
	return []Option{{Label: x.t("signup.partner_skip"), Value: "-", Means: words.Skip | words.No}}
}

func parsePartner(x *run, a Answer) (string, error) {
	if a.Value == "-" {
		return "-", nil
	}
	if a.Kinds.Has(words.Yes) {
		return "", invalid("signup.partner_type_code") // "ada", "punya": then type it
	}
	code := strings.Trim(strings.TrimSpace(a.Text), ".,!?")
	if len(strings.Fields(code)) != 1 {
		return "", invalid("signup.partner_invalid")
	}
	p, err := x.partner(code)
	if err != nil {
		return "", err
	}
	if p == nil {
		return "", invalid("signup.partner_invalid")
	}
	return p.Code, nil
}

func savePartner(x *run, code string) (string, error) {
	delete(x.slots, slotLinkPartner)
	if code == "-" {
		applyPartner(x, nil)
		return "", nil
	}
	p, err := x.partner(code)
	if err == nil && p == nil {
		err = models.ErrNotFound // Parse found it in this very message
	}
	if err != nil {
		return "", err
	}
	applyPartner(x, p)
	return "", nil
}

// applyPartner records who brought the worker and who pays. A sponsor pays the minimum
// package (JKK + JKM) for them, so they choose no package and no payment period.
func applyPartner(x *run, p *models.Partner) {
	payer := payerSelf
	if p != nil {
		x.slots[slotPartner], x.slots[slotPartnerName] = p.Code, p.Name
		switch {
		case p.GovSponsored:
			payer = payerGov
		case p.Sponsored:
			payer = payerSponsor
		}
	} else {
		x.slots[slotPartner] = "-"
		delete(x.slots, slotPartnerName)
	}
	x.slots[slotPayer] = payer
	if payer != payerSelf {
		x.slots[slotPackage], x.slots[slotPackageAuto] = string(tariff.PackageJKKJKM), "1"
		delete(x.slots, slotPeriod)
	} else if x.slots[slotPackageAuto] != "" {
		delete(x.slots, slotPackage)
		delete(x.slots, slotPackageAuto)
	}
}

// sponsored: someone else pays the worker's premium.
func sponsored(x *run) bool {
	p := x.slots[slotPayer]
	return p == payerSponsor || p == payerGov
}

// ---- income, package, period ---------------------------------------------------------------

func incomeBounds(x *run) []any {
	min, max := x.r.Tariff.IncomeBounds()
	return []any{"min", locales.Money(min), "max", locales.Money(max)}
}

func incomeOptions(x *run) []Option {
	var out []Option
	for _, v := range x.r.Tariff.IncomeChoices() {
		out = append(out, Option{Label: locales.Money(v), Value: strconv.FormatInt(v, 10)})
	}
	return out
}

func parseIncomeAnswer(x *run, a Answer) (string, error) {
	text := a.Text
	if a.Value != "" {
		text = a.Value
	}
	amount, err := parseIncome(x.r.Tariff, text)
	if err != nil {
		return "", invalid(err.Error(), incomeBounds(x)...)
	}
	return strconv.FormatInt(amount, 10), nil
}

// parseIncome reads a declared income within the tariff's bounds; the error's text is the
// locale key of the re-prompt.
func parseIncome(t *tariff.Tariff, input string) (int64, error) {
	amount, err := validate.ParseRupiah(input)
	if err != nil {
		// "gaji saya 2 juta", "2jt an": an amount inside a few more words.
		found, ok := validate.FindRupiah(input)
		if !ok {
			return 0, errors.New("validate.money_invalid")
		}
		amount = found
	}
	min, max := t.IncomeBounds()
	if err := validate.CheckIncome(amount, min, max); err != nil {
		return 0, errors.New("validate." + string(validate.CodeOf(err)))
	}
	return amount, nil
}

func packageOptions(x *run) []Option {
	return []Option{
		{Label: x.t("signup.package_basic", "amount", locales.Money(monthly(x, tariff.PackageJKKJKM))), Value: string(tariff.PackageJKKJKM)},
		{Label: x.t("signup.package_full", "amount", locales.Money(monthly(x, tariff.PackageJKKJKMJHT))), Value: string(tariff.PackageJKKJKMJHT)},
	}
}

func parsePackage(_ *run, a Answer) (string, error) {
	if pkg, ok := tariff.ParsePackage(a.Value); ok {
		return string(pkg), nil
	}
	low := strings.ToLower(a.Text)
	switch {
	case containsAny(low, "tanpa", "tidak", "ga pakai", "gak pakai", "without"):
		return string(tariff.PackageJKKJKM), nil
	case containsAny(low, "jht", "hari tua", "lengkap", "full"):
		return string(tariff.PackageJKKJKMJHT), nil
	case containsAny(low, "jkk", "dasar", "murah", "basic"):
		return string(tariff.PackageJKKJKM), nil
	}
	return "", invalid("signup.package_invalid")
}

func savePackage(x *run, v string) (string, error) {
	x.slots[slotPackage] = v
	delete(x.slots, slotPackageAuto)
	return "", nil
}

func periodOptions(x *run) []Option {
	periods, _ := signupPeriods(x) // none offered when the period cannot be quoted
	out := make([]Option, len(periods))
	for i, q := range periods {
		n := len(q.Months)
		out[i] = Option{Label: x.t("signup.period_choice", "n", n, "amount", locales.Money(q.Total)), Value: strconv.Itoa(n)}
	}
	return out
}

// periodQuestion asks how many months, and says when a discount ends within a year.
func periodQuestion(x *run) string {
	text := x.t("signup.ask_period")
	if q, ok := periodQuote(x, 12); ok {
		if runs := q.Breakdown(); len(runs) > 1 && runs[0].DiscountName != "" {
			text += "\n" + x.t("signup.discount_until", "name", runs[0].DiscountName, "month", locales.Month(x.lang(), runs[0].Last))
		}
	}
	return text
}

// monthWords are the words for months after a number of them ("3 bulan").
var monthWords = strings.NewReplacer("bulan", " ", "bln", " ", "months", " ", "month", " ")

func parsePeriod(_ *run, a Answer) (string, error) {
	if a.Value != "" {
		return a.Value, nil
	}
	low := strings.ToLower(a.Text)
	n := 0
	fields := strings.Fields(monthWords.Replace(low))
	switch {
	case containsAny(low, "setahun", "1 tahun", "satu tahun", "a year", "one year"):
		n = 12
	case containsAny(low, "sebulan", "satu bulan", "one month"):
		n = 1
	case len(fields) == 1:
		n, _ = strconv.Atoi(fields[0])
	}
	for _, ok := range tariff.PeriodLengths() {
		if n == ok {
			return strconv.Itoa(n), nil
		}
	}
	return "", invalid("signup.period_invalid")
}

// ---- summary -------------------------------------------------------------------------------

func summaryOptions(x *run) []Option {
	return []Option{
		{Label: x.t("signup.confirm_yes"), Value: "konfirmasi", Means: words.Yes | words.Agree},
		{Label: x.t("signup.confirm_edit"), Value: "ubah"},
		{Label: x.t("signup.confirm_cancel"), Value: "batal"},
	}
}

func confirmSummary(_ *run, v string) (string, error) {
	if v == "konfirmasi" {
		return End, nil
	}
	return Stay, nil
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
