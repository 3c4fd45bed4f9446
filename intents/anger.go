package intents

import (
	"strings"
	"sync"
)

// Anger and repetition ("第三次反映了！！", "到底管不管", "都说了多少遍了") say
// how long a resident has waited, not how dangerous the problem is: read
// as features they made the urgency layer call a leaning tree urgent.
// stripAnger cuts them out before the model reads a message; the ticket
// keeps them for the handler to see.
var angerPhrases = sync.OnceValue(func() *dict {
	var phrases []string
	nums := append(strings.Split("一二三四五六七八九十两几", ""), "好几", "十几", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "n", "N")
	for _, n := range nums {
		for _, v := range strings.Fields("反映 反应 打电话 打 找你们 找 说 举报 投诉 来 提 问 催 报 报修 留言 发消息 反馈 打热线") {
			phrases = append(phrases, "第"+n+"次"+v+"了", "第"+n+"次"+v)
		}
		for _, unit := range []string{"次", "回", "遍"} {
			phrases = append(phrases, "反映"+n+unit+"了", "反映了"+n+unit+"了", "反映了"+n+unit, "反映"+n+unit,
				"说了"+n+unit+"了", "说了"+n+unit, "打了"+n+unit+"电话了", "打了"+n+unit+"电话", "打了"+n+unit+"了", "找了"+n+unit+"了")
		}
	}
	phrases = append(phrases, strings.Fields(`都说了多少遍了 说了多少遍了 说了多少回了 都说了多少回了 说了多少次了 反映多少次了 反映了多少次了
		到底管不管 到底有没有人管 到底还管不管 到底什么时候管 到底什么时候修 到底怎么回事 有没有人管啊 有没有人管呀 有没有人管 还有没有人管
		没人管吗 还管不管 管不管了 管不管啊 怎么还不来 还不来 怎么还没人来 怎么还没来人 干什么吃的 你们是干什么吃的 太不像话了 太不负责了
		气死我了 气死了 我要投诉 我要举报你们 一拖再拖 推来推去 踢皮球 没完没了 再不管我就打12345 再不管就打12345 再不来我就投诉
		再不修我就投诉 我就打12345 打12345 打市长热线 找媒体 曝光你们 什么态度 什么服务 真是服了 服了
		到底`)...)
	d := &dict{}
	for _, p := range phrases {
		d.add(p, 0)
	}
	return d
})

// stripAnger replaces each anger phrase in text, with the marks around
// it, by a comma.
func stripAnger(text string) string {
	d := angerPhrases()
	rs := []rune(text)
	var out []rune
	for i := 0; i < len(rs); {
		_, n := d.longestAt(rs, i)
		if n == 0 {
			if out != nil {
				out = append(out, rs[i])
			}
			i++
			continue
		}
		if out == nil {
			out = append(make([]rune, 0, len(rs)), rs[:i]...)
		}
		// The marks around the phrase go with it: "修?有没有人管啊!" is
		// no question and no alarm.
		for len(out) > 0 && strings.ContainsRune("!?,", out[len(out)-1]) {
			out = out[:len(out)-1]
		}
		for i += n; i < len(rs) && strings.ContainsRune("!?,啊呀", rs[i]); i++ {
		}
		if i < len(rs) && len(out) > 0 {
			out = append(out, ',')
		}
	}
	if out == nil {
		return text
	}
	return string(out)
}
