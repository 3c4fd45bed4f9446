package intents

import (
	"context"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"traditional", "家裏煤氣好像漏氣了，味道很大，怎麼辦？", "家里煤气好像漏气了,味道很大,怎么办?"},
		{"traditional village", "於家務村著火了", "于家务村着火了"},
		{"full width", "ＡＢＣ１２３　停电", "ABC123 停电"},
		{"punctuation runs", "第三次了！！！？？……", "第三次了!"},
		{"one run per mark", "停电了。。。什么时候来电？？", "停电了。什么时候来电?"},
		{"spaces", "  路灯   坏了 \t\n 快修  ", "路灯 坏了 快修"},
		{"emoji and zero width", "暖气😭😭不热\u200b了🙏\ufe0f", "暖气 不热了"},
		{"spaced-out characters", "停 电 了 快 来 人", "停电了快来人"},
		{"clause spaces kept", "又有人烧塑料 冒黑烟 那个味儿特别难闻", "又有人烧塑料 冒黑烟 那个味儿特别难闻"},
		{"pinyin with spaces", "ting shui 一整天了", "停水 一整天了"},
		{"pinyin run together", "tingdian了", "停电了"},
		{"pinyin words", "nuanqi bu re", "暖气不热"},
		{"pinyin with tones", "tíngdiàn", "停电"},
		{"pinyin full width", "ｔｉｎｇｄｉａｎ", "停电"},
		{"not pinyin", "wifi连不上 ok", "wifi连不上 ok"},
		{"unknown pinyin left", "wo jia tingdian", "wo jia 停电"},
		{"homophones", "暖器不热 拉圾没人收 路等坏了", "暖气不热 垃圾没人收 路灯坏了"},
		{"dialect", "俺们村咋整 啥时候修 嘛时候来电", "我们村怎么办 什么时候修 什么时候来电"},
		{"temperature", "38℃", "38度"},
		{"empty", "", ""},
		{"only emoji", "😭😭😭", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestTrimManners(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"thanks at the end", "电线冒火花了,谢谢啊,辛苦了", "电线冒火花了"},
		{"thanks without punctuation", "路灯坏了谢谢", "路灯坏了"},
		{"greeting and thanks", "您好,我们村停水了,麻烦你们了", "我们村停水了"},
		{"only thanks stays", "谢谢你们,辛苦了", "谢谢你们,辛苦了"},
		{"acknowledgement stays", "好的 谢谢您", "好的 谢谢您"},
		{"thanks for something done stays", "水管子换完了 谢谢", "水管子换完了 谢谢"},
		{"a complaint is not courtesy", "手续太麻烦了", "手续太麻烦了"},
		{"bounded courtesy after a break", "暖气不热,辛苦了", "暖气不热"},
		{"anger", "暖气坏了 快来修?有没有人管啊!", "暖气坏了 快来修"},
		{"repetition", "第三次反映了!树被风刮歪了", "树被风刮歪了"},
		{"only anger stays", "到底管不管", "到底管不管"},
		{"a question asked again", "第三次问了!!分红到底什么时候发!!", "分红,什么时候发!!"},
		{"a request for help is not thanks for help", "您好 打扰一下 电线耷拉得挺低 麻烦派人来看看 谢谢", "电线耷拉得挺低 麻烦派人来看看"},
		{"thanks for help given stays", "村里派人送来了 谢谢", "村里派人送来了 谢谢"},
	}
	for _, tt := range tests {
		if got := trimManners(tt.in); got != tt.want {
			t.Errorf("%s: trimManners(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// Politeness and anger must not change the answer, and must not lower or
// raise urgency.
func TestClassifyIgnoresManners(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	c := NewEmbedded(m, demoGazetteer(t))
	for _, base := range []string{"电线冒火花了 就在村口", "两家人为了地界打起来了 拿着铁锹", "路灯坏了好几天了", "低保怎么申请"} {
		want := classify(t, c, base)
		for _, v := range []string{base + "，谢谢啊，辛苦了", "您好，" + base + "，麻烦你们了", base + "！！第三次反映了！！到底管不管", base + "🙏🙏"} {
			if got := classify(t, c, v); got.Category != want.Category || got.Urgency != want.Urgency {
				t.Errorf("%q: %s/%s, but %q: %s/%s", base, want.Category, want.Urgency, v, got.Category, got.Urgency)
			}
		}
	}
}

func classify(t *testing.T, c Classifier, text string) Result {
	t.Helper()
	r, err := c.Classify(context.Background(), Input{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
