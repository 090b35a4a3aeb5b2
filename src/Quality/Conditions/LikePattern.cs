namespace SalesPipeline.Quality.Conditions;

/// <summary>
/// A SQL LIKE pattern: <c>%</c> matches any run of characters (including none), <c>_</c> exactly one, and a backslash
/// makes the next character literal (Spark's default escape; a trailing backslash is itself literal). Matching is
/// case-sensitive and ordinal.
/// </summary>
internal sealed class LikePattern
{
    private const char AnyOne = '\0';

    // Pattern elements: a literal character, or a wildcard flagged in _isWildcard (AnyOne for '_', else '%').
    private readonly char[] _chars;
    private readonly bool[] _isWildcard;

    private LikePattern(char[] chars, bool[] isWildcard)
    {
        _chars = chars;
        _isWildcard = isWildcard;
    }

    public static LikePattern Parse(string pattern)
    {
        var chars = new List<char>(pattern.Length);
        var wildcards = new List<bool>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                chars.Add(pattern[++i]);
                wildcards.Add(false);
            }
            else if (c is '%' or '_')
            {
                // Consecutive '%' are one '%'.
                if (c == '%' && chars.Count > 0 && wildcards[^1] && chars[^1] == '%')
                    continue;
                chars.Add(c == '_' ? AnyOne : '%');
                wildcards.Add(true);
            }
            else
            {
                chars.Add(c);
                wildcards.Add(false);
            }
        }
        return new LikePattern(chars.ToArray(), wildcards.ToArray());
    }

    /// <summary>Greedy matching with backtracking to the last '%' only: linear in practice, O(n·m) at worst.</summary>
    public bool IsMatch(string text)
    {
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < _chars.Length && (_isWildcard[p] ? _chars[p] == AnyOne : _chars[p] == text[t]))
            {
                t++;
                p++;
            }
            else if (p < _chars.Length && _isWildcard[p])
            {
                starP = p++;
                starT = t;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }
        while (p < _chars.Length && _isWildcard[p] && _chars[p] == '%')
            p++;
        return p == _chars.Length;
    }
}
