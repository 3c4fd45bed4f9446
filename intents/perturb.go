package intents

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"

	"github.com/longbridgeapp/opencc"

	"hotline/taxonomy"
)

// A perturbation rewrites a message the way real residents vary it, to
// measure how much each variation costs the classifier. Each returns the
// new text and whether it changed anything.
type perturbation struct {
	name string
	fn   func(id, text string) (string, bool)
}

// perturbations are the variations Evaluate's robustness table reports.
// The homophone list is written for measuring, apart from wordFixes: some
// of its errors are corrected by Normalize and some are not, as with real
// voice input.
var perturbations = []perturbation{
	{"polite ending", politeEnding},
	{"traditional", toTraditional},
	{"no punctuation", noPunctuation},
	{"homophones", withHomophones},
	{"pinyin", withPinyin},
	{"anger", withAnger},
}

var politeEndings = []string{"，谢谢啊，辛苦了", "，麻烦你们了", "。谢谢领导！", "，辛苦辛苦🙏", "，拜托了，谢谢", "。非常感谢！！", "，麻烦您了，谢谢", "，谢谢你们了"}

// politeEnding appends one of several closings (chosen by id) and, for
// some ids, opens with a greeting too.
func politeEnding(id, text string) (string, bool) {
	h := int(hashShare("polite", id) * 1000)
	out := strings.TrimRight(text, "。.！!") + politeEndings[h%len(politeEndings)]
	if h%3 == 0 {
		out = "您好，" + out
	}
	return out, true
}

var s2t = sync.OnceValues(func() (*opencc.OpenCC, error) { return opencc.New("s2t") })

// toTraditional writes the text in traditional characters.
func toTraditional(_, text string) (string, bool) {
	cc, err := s2t()
	if err != nil {
		return text, false
	}
	out, err := cc.Convert(text)
	if err != nil {
		return text, false
	}
	return out, out != text
}

// noPunctuation drops every mark and space, as voice input often does.
func noPunctuation(_, text string) (string, bool) {
	out := strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, text)
	return out, out != text
}

// homophoneErrors are voice-input and pinyin-keyboard slips: the right
// word, then what comes out.
var homophoneErrors = strings.NewReplacer(
	"暖气", "暖器", "停电", "停点", "路灯", "路等", "垃圾", "拉圾", "水龙头", "水笼头", "跳闸", "跳炸",
	"下水道", "下水到", "煤气", "煤器", "热泵", "热崩", "扬尘", "洋尘", "噪音", "燥音", "晕倒", "晕到",
	"已经", "以经", "供暖", "公暖", "电线", "电现", "漏水", "露水", "积水", "急水", "电费", "店费",
	"村委会", "村委汇", "没人管", "没人关", "楼道", "楼到", "物业", "无业", "邻居", "林居", "厕所", "侧所",
	"清理", "清里", "医保", "一保", "低保", "地保", "补贴", "补帖", "在家", "再家", "修理", "修里",
	"宅基地", "宅基的", "老人", "老仁", "孩子", "还子", "空调", "空条", "危险", "微险", "反映", "反应",
)

// withHomophones applies homophoneErrors.
func withHomophones(_, text string) (string, bool) {
	out := homophoneErrors.Replace(text)
	return out, out != text
}

// pinyinPerturb are the words written in pinyin, as a resident who cannot
// find the characters would.
var pinyinPerturb = [][2]string{
	{"停水", "ting shui"}, {"停电", "tingdian"}, {"暖气", "nuanqi"}, {"没水", "mei shui"}, {"没电", "meidian"},
	{"路灯", "ludeng"}, {"垃圾", "laji"}, {"漏水", "lou shui"}, {"煤气", "meiqi"}, {"着火", "zhao huo"},
	{"不热", "bu re"}, {"跳闸", "tiaozha"}, {"噪音", "zaoyin"}, {"低保", "dibao"}, {"医保", "yibao"},
	{"物业", "wuye"}, {"打架", "da jia"}, {"摔倒", "shuaidao"}, {"水管", "shuiguan"}, {"电线", "dianxian"},
}

// withPinyin writes the first such word of the text in pinyin.
func withPinyin(_, text string) (string, bool) {
	for _, p := range pinyinPerturb {
		if i := strings.Index(text, p[0]); i >= 0 {
			return text[:i] + " " + p[1] + " " + text[i+len(p[0]):], true
		}
	}
	return text, false
}

var angryEndings = []string{"！！第三次反映了！！", "，到底管不管！！！", "，都说了多少遍了，还不来！", "？？？有没有人管啊！！"}

// withAnger appends impatience, which is not urgency.
func withAnger(id, text string) (string, bool) {
	h := int(hashShare("anger", id) * 1000)
	return strings.TrimRight(text, "。.！!") + angryEndings[h%len(angryEndings)], true
}

// RobustnessRow is how the classifier did on one perturbed copy of the
// examples.
type RobustnessRow struct {
	Name            string
	Changed         int     // examples the perturbation altered
	MacroF1         float64 // over all examples, the unchanged ones as they were
	Accuracy        float64
	ChangedAccuracy float64 // accuracy on the altered examples
	CleanAccuracy   float64 // accuracy of the same examples unperturbed
	UrgentRecall    float64
	UrgentPrecision float64
	UrgencySupport  int     // examples with an urgency label
	Confident       int     // answers at confidence >= 0.95
	ConfidentAcc    float64 // share of them right
}

// confidentAt is the confidence at which answers must be right at least as
// often: 95% of answers at ≥ 0.95 confidence.
const confidentAt = 0.95

// Robustness evaluates c on the examples as they are and on each
// perturbed copy. The first row is the clean one.
func Robustness(ctx context.Context, c Classifier, examples []Example) ([]RobustnessRow, error) {
	clean, err := robustRow(ctx, c, "clean", examples, nil, nil)
	if err != nil {
		return nil, err
	}
	rows := []RobustnessRow{clean.row}
	for _, p := range perturbations {
		r, err := robustRow(ctx, c, p.name, examples, p.fn, clean.right)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r.row)
	}
	return rows, nil
}

type robustResult struct {
	row   RobustnessRow
	right []bool // per example: category right
}

func robustRow(ctx context.Context, c Classifier, name string, examples []Example, fn func(id, text string) (string, bool), cleanRight []bool) (robustResult, error) {
	out := robustResult{row: RobustnessRow{Name: name}, right: make([]bool, len(examples))}
	var cat scores
	var urgentHit, urgentSaid, urgentGold, confRight, changedRight, changedCleanRight int
	for i, e := range examples {
		text, changed := e.Text, false
		if fn != nil {
			text, changed = fn(e.ID, e.Text)
		}
		res, err := c.Classify(ctx, Input{Text: text, ResidentVillage: e.ResidentVillage})
		if err != nil {
			return out, fmt.Errorf("robustness %s %s: %w", name, e.ID, err)
		}
		right := string(res.Category) == e.Label
		out.right[i] = right
		cat.add(e.Label, string(res.Category))
		if changed {
			out.row.Changed++
			if right {
				changedRight++
			}
			if cleanRight != nil && cleanRight[i] {
				changedCleanRight++
			}
		}
		if res.Confidence >= confidentAt {
			out.row.Confident++
			if right {
				confRight++
			}
		}
		if e.Urgency != "" {
			out.row.UrgencySupport++
			if e.Urgency == string(taxonomy.Urgent) {
				urgentGold++
				if res.Urgency == taxonomy.Urgent {
					urgentHit++
				}
			}
			if res.Urgency == taxonomy.Urgent {
				urgentSaid++
			}
		}
	}
	out.row.Accuracy = cat.accuracy()
	out.row.MacroF1 = macroF1(cat.perClass(categoryOrder()))
	out.row.ChangedAccuracy = ratio(changedRight, out.row.Changed)
	out.row.CleanAccuracy = ratio(changedCleanRight, out.row.Changed)
	out.row.UrgentRecall = ratio(urgentHit, urgentGold)
	out.row.UrgentPrecision = ratio(urgentHit, urgentSaid)
	out.row.ConfidentAcc = ratio(confRight, out.row.Confident)
	return out, nil
}

// WriteRobustness prints the robustness rows as a table, with the change
// of macro-F1 against the clean row; measures the data has no labels for
// print n/a.
func WriteRobustness(w io.Writer, rows []RobustnessRow) error {
	if len(rows) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("robustness (the same messages, varied as residents write them):\n")
	fmt.Fprintf(&b, "  %-15s %7s %8s %7s %16s %13s %13s %16s\n", "variation", "changed", "macro_f1", "delta", "acc changed/was", "urgent recall", "urgent prec", "conf>=0.95 n/acc")
	clean := rows[0].MacroF1
	for _, r := range rows {
		delta, changed := "", "all"
		if r.Name != "clean" {
			delta = fmt.Sprintf("%+.3f", r.MacroF1-clean)
			changed = fmt.Sprint(r.Changed)
		}
		acc := "n/a"
		if r.Name != "clean" && r.Changed > 0 {
			acc = fmt.Sprintf("%.3f/%.3f", r.ChangedAccuracy, r.CleanAccuracy)
		}
		recall, prec := "n/a", "n/a"
		if r.UrgencySupport > 0 {
			recall, prec = fmt.Sprintf("%.3f", r.UrgentRecall), fmt.Sprintf("%.3f", r.UrgentPrecision)
		}
		fmt.Fprintf(&b, "  %-15s %7s %8.3f %7s %16s %13s %13s %10d/%.3f\n", r.Name, changed, r.MacroF1, delta, acc, recall, prec, r.Confident, r.ConfidentAcc)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
