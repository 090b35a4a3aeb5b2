using System.Globalization;

namespace SalesPipeline.Quality.Conditions;

internal enum TokenKind
{
    End, Identifier, Number, String,
    LeftParen, RightParen, Comma, Plus, Minus, Star, Slash,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual,
    And, Or, Not, Is, Null, In, True, False, Between, Like,
}

// Text: the token as written; for a string literal, its value with '' unescaped.
// Position: 1-based character position of the token's first character.
internal readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of condition",
        TokenKind.String => $"string '{Text.Replace("'", "''", StringComparison.Ordinal)}'",
        _ => $"'{Text}'",
    };
}

internal static class Lexer
{
    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AND"] = TokenKind.And, ["OR"] = TokenKind.Or, ["NOT"] = TokenKind.Not, ["IS"] = TokenKind.Is,
        ["NULL"] = TokenKind.Null, ["IN"] = TokenKind.In, ["TRUE"] = TokenKind.True, ["FALSE"] = TokenKind.False,
        ["BETWEEN"] = TokenKind.Between, ["LIKE"] = TokenKind.Like,
    };

    /// <summary>Whether a name can be written as a field reference: an identifier that is not a keyword.</summary>
    public static bool IsIdentifier(string? name)
    {
        if (string.IsNullOrEmpty(name) || !IsIdentifierStart(name[0]) || Keywords.ContainsKey(name))
            return false;
        foreach (var c in name)
        {
            if (!IsIdentifierPart(c))
                return false;
        }
        return true;
    }

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", text.Length + 1));
                return tokens;
            }

            var start = i;
            var c = text[i];
            if (IsIdentifierStart(c))
            {
                while (i < text.Length && IsIdentifierPart(text[i]))
                    i++;
                var word = text[start..i];
                tokens.Add(new Token(Keywords.TryGetValue(word, out var keyword) ? keyword : TokenKind.Identifier, word, start + 1));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i = ScanNumber(text, i);
                tokens.Add(new Token(TokenKind.Number, text[start..i], start + 1));
            }
            else if (c == '\'')
            {
                i = ScanString(text, i, out var value);
                tokens.Add(new Token(TokenKind.String, value, start + 1));
            }
            else
            {
                var next = i + 1 < text.Length ? text[i + 1] : '\0';
                var (kind, length) = (c, next) switch
                {
                    ('<', '=') => (TokenKind.LessOrEqual, 2),
                    ('>', '=') => (TokenKind.GreaterOrEqual, 2),
                    ('<', '>') => (TokenKind.NotEqual, 2),
                    ('!', '=') => (TokenKind.NotEqual, 2),
                    ('=', '=') => (TokenKind.Equal, 2),
                    ('=', _) => (TokenKind.Equal, 1),
                    ('<', _) => (TokenKind.Less, 1),
                    ('>', _) => (TokenKind.Greater, 1),
                    ('+', _) => (TokenKind.Plus, 1),
                    ('-', _) => (TokenKind.Minus, 1),
                    ('*', _) => (TokenKind.Star, 1),
                    ('/', _) => (TokenKind.Slash, 1),
                    ('(', _) => (TokenKind.LeftParen, 1),
                    (')', _) => (TokenKind.RightParen, 1),
                    (',', _) => (TokenKind.Comma, 1),
                    _ => throw new ConditionException($"unexpected character '{c}'", start + 1),
                };
                i += length;
                tokens.Add(new Token(kind, text[start..i], start + 1));
            }
        }
    }

    /// <summary>Parses a number token's text as a decimal.</summary>
    public static decimal ParseNumber(Token token) =>
        decimal.TryParse(token.Text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ConditionException($"number {token.Text} is out of range", token.Position);

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    // digits [. digits] [(e|E) [+|-] digits], or . digits [...]
    private static int ScanNumber(string text, int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
            i++;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
                i++;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            var exponent = i;
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
                i++;
            if (i >= text.Length || !char.IsAsciiDigit(text[i]))
                throw new ConditionException($"malformed number '{text[start..i]}': the exponent has no digits", exponent + 1);
            while (i < text.Length && char.IsAsciiDigit(text[i]))
                i++;
        }
        return i;
    }

    private static int ScanString(string text, int i, out string value)
    {
        var start = i;
        var builder = new System.Text.StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
                throw new ConditionException("unterminated string literal", start + 1);
            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    builder.Append('\'');
                    i += 2;
                    continue;
                }
                value = builder.ToString();
                return i + 1;
            }
            builder.Append(text[i]);
            i++;
        }
    }
}
