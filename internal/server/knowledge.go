package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/newsearch/newsearch/index"
)

// What the index learnt from its articles (index/knowledge.go):
//
//	GET /api/articles/ID/related?limit=   related articles: the object of
//	                                      newsearch related --json
//	GET /api/aliases?term=                the aliases: the array of
//	                                      newsearch aliases --json

// relatedSuffix ends the path of an article's related articles.
const relatedSuffix = "/related"

// related answers /api/articles/ID/related.
func (s *Server) related(w http.ResponseWriter, r *http.Request, x *handle, id string) error {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return badParam("", "the query string is malformed (%v)", err)
	}
	for name := range params {
		if name != "limit" {
			return badParam(name, "unknown parameter %q: the parameter is limit", name)
		}
	}
	limit, err := intParam(params, "limit", 10, 1, index.MaxRelated)
	if err != nil {
		return err
	}
	if id == "" {
		return notFound("no article ID: use /api/articles/ID/related")
	}
	res, err := x.ix.Related(r.Context(), id, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// aliases answers /api/aliases.
func (s *Server) aliases(w http.ResponseWriter, r *http.Request, x *handle) error {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return badParam("", "the query string is malformed (%v)", err)
	}
	for name := range params {
		if name != "term" {
			return badParam(name, "unknown parameter %q: the parameter is term", name)
		}
	}
	list, err := x.ix.Aliases(strings.TrimSpace(params.Get("term")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}
