// Package intent classifies a worker's free-text message into one of the
// bot's intents (Label): daftar, iuran_info, bayar, cek_status, klaim_jkk,
// klaim_jkm, klaim_jht, manfaat, petugas, berhenti, hapus_data, salam,
// terima_kasih, bantuan, or unknown. It runs in-process from embedded data:
// no network, no model download. Default trains once on first use (about
// 70 ms) and is then safe for concurrent use.
//
// # Pipeline
//
//  1. Tokenize (tokenize.go): only the first MaxInputBytes (2,000) bytes are
//     read; lower-case; punctuation, emoji and invalid UTF-8 separate
//     words; "16rb" -> "16" "rb"; "anak2" -> "anak"; "assalamu'alaikum"
//     joins; accents fold.
//  2. Spelling (lexicon.go, typo.go), only for words the lexicon does not
//     know, at most 16 per message: stretched letters are squeezed to a
//     known spelling ("bayaaar" -> "bayar", while "maaf" keeps its double),
//     then a typo is corrected to the nearest vocabulary word within
//     Damerau–Levenshtein (OSA) distance 1 for 4–6 letters, 2 for longer,
//     through a symmetric deletion index (no scan of the vocabulary). The
//     vocabulary is the roots, the slang table, data/words.txt (correct
//     everyday words, so "lapar" is not "fixed" to "lapor") and the words of
//     the training set.
//  3. Slang (data/slang.tsv, a trie over tokens, longest match):
//     abbreviations, English, Javanese and Sundanese to standard Indonesian
//     ("gmn" -> "bagaimana", "bpjs tk" -> "bpjs ketenagakerjaan", "matur
//     nuwun" -> "terima kasih", "sedo" -> "meninggal").
//  4. Stemming (stem.go): a dictionary-checked Nazief–Adriani-style light
//     stemmer for meN-/peN-/ber-/di-/ke-/ter-/se-, -kan/-an/-i, -nya/-ku/-mu,
//     -lah/-kah, colloquial nge-/ng-/ny-/n-/-in and Javanese m-/-e/-ke. It
//     stops only at a root in data/roots.txt, so "pendaftarannya" ->
//     "daftar" but "meninggal", "pembantu", "kesehatan" and "berapa" stay.
//  5. Scoring (model.go): multinomial logistic regression over the distinct
//     canonical words of the message (feature values 1/sqrt(n)), plus one
//     "o:oov" feature when a word is new to the model, trained at start-up
//     with AdaGrad (30 epochs, rate 0.5, L2 1e-4, fixed shuffle seed, so
//     training is deterministic). Two policy rules follow: the weighted
//     keyword rules in data/rules.tsv (BPJS Kesehatan, KIS/JKN, Prakerja,
//     bansos... are another agency's business: +6 to unknown unless one of
//     our programmes is named), and a message in which the model knows no
//     word at all is unknown.
//  6. Decision: softmax at temperature 0.85; the best label wins if its
//     probability reaches the threshold 0.35 (WithThreshold), else the
//     answer is unknown with confidence 1 − that probability. Temperature
//     and threshold were fitted on the cross-validation predictions below
//     (temperature by log loss, threshold by accuracy), never on the
//     held-out set.
//
// # Choosing the method
//
// Every alternative was trained and scored by stratified 5-fold
// cross-validation on data/train.tsv (1,450 messages); each fold's lexicon
// knew only its training words. "typoAcc" is the same with one random
// typo (swap, delete, substitute or double a letter) added to one word of
// five or more letters of each test message. Reproduce with
//
//	go test ./flows/intent -run TestCompareMethods -intent.compare -v
//
// (set INTENT_HELD=1 to add the held-out columns, which were looked at
// only after the choice was made and never used to make it).
//
//	5-fold CV on train.tsv            acc  typoAcc  macroRecall  minRecall  log loss  ECE   | held-out acc
//	lr words (chosen)              0.9276   0.9131       0.9322     0.8878     0.369  0.025 | 0.9857
//	nb words                       0.8772   0.8634       0.8831     0.6389     0.511  0.033 | 0.9785
//	lr +bigrams                    0.9207   0.9097       0.9260     0.8673     0.357  0.017 | 0.9928
//	nb +bigrams                    0.8931   0.8876       0.9128     0.7577     0.492  0.030 | 0.9785
//	lr +char 3-4grams              0.9172   0.9055       0.9195     0.8469     0.391  0.014 | 0.9749
//	nb +char 3-4grams              0.8559   0.8490       0.8792     0.7231     1.048  0.098 | 0.9642
//	lr +bigrams +char              0.9255   0.9138       0.9282     0.8472     0.363  0.018 | 0.9821
//	lr no typo fixing              0.9262   0.7724       0.9292     0.8750     0.388  0.024 | 0.9857
//	lr no stemming                 0.9069   0.9000       0.9133     0.8539     0.425  0.018 | 0.9749
//	lr no slang table              0.8697   0.8559       0.8646     0.6885     0.972  0.037 | 0.9785
//	lr no repeat collapse          0.9241   0.9097       0.9301     0.8889     0.368  0.022 | 0.9821
//	lr no keyword rules            0.9248   0.9103       0.9311     0.8878     0.377  0.024 | 0.9857
//	lr no oov feature              0.9241   0.9159       0.9295     0.8876     0.377  0.021 | 0.9785
//	lr bare (no slang/stem/typo)   0.8545   0.7145       0.8478     0.6885     1.194  0.058 | 0.9642
//
// Logistic regression beats naive Bayes by 3–5 points and is far better
// calibrated. Bigrams and character n-grams add nothing measurable on top
// of the normalisation (within ±0.5 points, i.e. a handful of messages)
// and cost time, so the model uses words only; the held-out set, looked at
// afterwards, would have preferred bigrams by two messages. The
// normalisation is what matters: without the slang table accuracy drops
// 6 points, without stemming 2, and typo fixing is worth 14 points on
// misspelt messages at no cost on clean ones. L2 penalty, epochs and
// learning rate vary within the same noise (table in the test output).
//
// # Results
//
// Held-out set (testdata/heldout.tsv, 279 messages written apart from the
// training set, never trained or tuned on): accuracy 0.9857; recall per
// label 1.00 except daftar 0.95, klaim_jkk 0.94, salam 0.94, unknown 0.975.
// TestHeldOutAccuracy keeps these as a floor (0.97 accuracy, 0.90 recall
// per label). Speed on one core (Xeon, go test -bench Classify -cpu=1):
// about 5 µs and 9 allocations per message over a realistic mix, i.e.
// about 200,000 classifications per second; a crafted 2 KB message of
// unknown words costs under 1 ms thanks to the repair budget.
//
// # Data decisions
//
// BPJS Kesehatan and other programmes are unknown. A death-benefit
// question, even "how much", is klaim_jkm, and so is a death in a work
// accident; an accident that happened is klaim_jkk; "what is X / what do I
// get" in general is manfaat; a JHT balance check is cek_status; "I don't
// want to take part any more" is berhenti. Bare "ok", "ya", "sudah" are
// unknown: the dialogue layer, not this package, knows what they answer.
package intent
