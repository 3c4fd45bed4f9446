package desk

import (
	"errors"
	"net/http"
	"strconv"

	"hotline/roster"
	"hotline/signin"
	"hotline/storage"
)

// Signing in and out.

// loginData is the page a sign-in link opens.
type loginData struct {
	base
	Token   string
	Name    string
	Message string // why the link cannot be used; "" when it can
}

// loginPage shows whose link it is and a button to sign in. Opening the
// link spends nothing: chat apps fetch links for previews, and a preview
// must not use up a one-time link.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	token := r.PathValue("token")
	d := loginData{base: base{Title: "登录工作台"}, Token: token}
	code := http.StatusOK
	var id roster.StaffID
	err := s.cfg.DB.View(r.Context(), func(tx *storage.Tx) error {
		var err error
		id, err = s.cfg.SignIn.CheckLink(r.Context(), tx, token)
		return err
	})
	if err == nil {
		st, ok := s.cfg.Assets.Assets().Roster.StaffByID(id)
		d.Name = st.Name
		if !ok {
			err = signin.ErrUnknown
		}
	}
	if err != nil {
		code, d.Message = linkRefused(err)
		if code >= 500 {
			s.cfg.Log.Error("desk: check sign-in link", "err", err)
		}
	}
	if err := s.render(w, code, "login", d); err != nil {
		s.cfg.Log.Error("desk: render login", "err", err)
	}
}

// linkRefused says why a link cannot sign anyone in.
func linkRefused(err error) (int, string) {
	switch {
	case errors.Is(err, signin.ErrUsed):
		return http.StatusGone, "这个登录链接已经用过了。每个链接只能用一次，请在机器人里再发送 /web。"
	case errors.Is(err, signin.ErrExpired):
		return http.StatusGone, "这个登录链接已过期（10 分钟内有效），请在机器人里再发送 /web。"
	case errors.Is(err, signin.ErrRefused):
		return http.StatusNotFound, "这个登录链接无效，请在机器人里发送 /web 获取新的链接。"
	}
	return http.StatusInternalServerError, "系统出错了，请稍后再试。"
}

// login spends the link, sets the session cookie and opens 总览. The
// redirect comes from this site's own form, so the SameSite=Strict cookie
// goes with it.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		// Another site's page posting someone's link would sign this
		// browser in as that someone (login CSRF); the button is ours.
		http.Error(w, "请从登录链接的页面登录", http.StatusForbidden)
		return
	}
	token := r.PathValue("token")
	var sess signin.Session
	err := s.cfg.DB.Update(r.Context(), func(tx *storage.Tx) error {
		var err error
		sess, err = s.cfg.SignIn.Redeem(r.Context(), tx, token)
		return err
	})
	if err == nil {
		if _, ok := s.cfg.Assets.Assets().Roster.StaffByID(sess.StaffID); !ok {
			err = signin.ErrUnknown
		}
	}
	if err != nil {
		code, msg := linkRefused(err)
		if code >= 500 {
			s.cfg.Log.Error("desk: sign in", "err", err)
		}
		if err := s.render(w, code, "login", loginData{base: base{Title: "登录工作台"}, Message: msg}); err != nil {
			s.cfg.Log.Error("desk: render login", "err", err)
		}
		return
	}
	s.cfg.SignIn.SetCookie(w, sess)
	s.cfg.Log.Info("desk: signed in", "staff", sess.StaffID)
	http.Redirect(w, r, "/desk/", http.StatusSeeOther)
}

// logout ends the session.
func (s *Server) logout(_ *http.Request, v *visit) error {
	if err := s.cfg.DB.Update(v.ctx, func(tx *storage.Tx) error { return s.cfg.SignIn.SignOut(v.ctx, tx, *v.sess) }); err != nil {
		return err
	}
	s.cfg.SignIn.ClearCookie(v.w)
	return s.render(v.w, http.StatusOK, "login", loginData{base: base{Title: "已退出"}, Message: "您已退出工作台。需要时在机器人里发送 /web 再登录。"})
}

// localLink is local mode's "打开工作台" on the chat page: it mints a link
// for any staff member through the same code as /web and opens it.
func (s *Server) localLink(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.PathValue("staff"), 10, 64)
	if _, ok := s.cfg.Assets.Assets().Roster.StaffByID(roster.StaffID(n)); err != nil || !ok {
		http.Error(w, "不是花名册里的工作人员", http.StatusNotFound)
		return
	}
	var link string
	err = s.cfg.DB.Update(r.Context(), func(tx *storage.Tx) error {
		var err error
		link, err = s.cfg.SignIn.Link(r.Context(), tx, roster.StaffID(n))
		return err
	})
	if err != nil {
		s.cfg.Log.Error("desk: local sign-in link", "err", err)
		http.Error(w, "系统出错了", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
}
