package render

import (
	"errors"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/index/qparse"
)

// Error is an error as JSON, the same from newsearch serve (the body of
// every error answer, as {"error": Error}) and newsearch query --json
// --queries-from (a line's "error"): a code for programs, a message for
// people, and for a query syntax error the 1-based character column of the
// mistake in the query.
type Error struct {
	// Code is one of the Code constants.
	Code string `json:"code"`
	// Message says what is wrong and what to do, in English.
	Message string `json:"message"`
	// Column is the column of a syntax error in the query (0: none).
	Column int `json:"column,omitempty"`
	// Reason is, for CodeSyntax, the kind of mistake (qparse.Code:
	// unterminated_quote, bad_date, ...).
	Reason string `json:"reason,omitempty"`
	// Field is the filter or date field of a syntax error (since,
	// category, ...), Param the parameter of CodeBadParameter.
	Field string `json:"field,omitempty"`
	Param string `json:"param,omitempty"`
	// Token is the text out of place of a syntax error, where that helps.
	Token string `json:"token,omitempty"`
}

// Error codes.
const (
	CodeSyntax           = "syntax"             // the query cannot be read (Column, Reason)
	CodeBadParameter     = "bad_parameter"      // a parameter or flag is wrong (Param)
	CodeNotFound         = "not_found"          // no such article or path
	CodeMethodNotAllowed = "method_not_allowed" // only GET and HEAD
	CodeTimeout          = "timeout"            // the request took too long
	CodeUnavailable      = "unavailable"        // the server is shutting down
	CodeDamaged          = "damaged"            // the index is damaged: rebuild it
	CodeInternal         = "internal"           // a fault of ours, logged
	CodeFailed           = "failed"             // the search failed for another reason
)

// ErrorOf describes err: a query syntax error with its column and kind, a
// bad request, or a failure.
func ErrorOf(err error) Error {
	var se *qparse.Error
	switch {
	case errors.As(err, &se):
		return Error{Code: CodeSyntax, Message: err.Error(), Column: se.Column, Reason: string(se.Code), Field: se.Field, Token: se.Token}
	case errors.Is(err, index.ErrInvalidRequest):
		return Error{Code: CodeBadParameter, Message: err.Error()}
	case errors.Is(err, index.ErrCorrupt):
		return Error{Code: CodeDamaged, Message: err.Error()}
	}
	return Error{Code: CodeFailed, Message: err.Error()}
}
