using System.Globalization;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>
/// The little of XPath that XLSForm's <c>relevant</c> and <c>constraint</c> columns use: <c>${q}</c>, <c>.</c>,
/// strings, numbers, comparisons, <c>and</c>, <c>or</c> and function calls. What the questionnaire format
/// can express is decided by <see cref="XlsFormImporter"/>; this only reads.
/// </summary>
internal abstract record XlsExpr
{
    /// <summary>The text this part was read from, to name it in an error.</summary>
    public string Source { get; init; } = "";

    public static XlsExpr Parse(string text) => new XlsExprParser(text).ParseAll();

    /// <summary>The parts joined by <c>and</c> at the top (a single part is itself).</summary>
    public IEnumerable<XlsExpr> Conjuncts() => this is XlsBinary { Op: "and" } and ? and.Left.Conjuncts().Concat(and.Right.Conjuncts()) : [this];
}

internal sealed record XlsRef(string Name) : XlsExpr;

internal sealed record XlsLiteral(string Value, bool IsNumber) : XlsExpr;

internal sealed record XlsDot : XlsExpr;

internal sealed record XlsCall(string Function, IReadOnlyList<XlsExpr> Arguments) : XlsExpr;

/// <summary><c>and</c>, <c>or</c>, or a comparison (<c>= != &lt; &lt;= &gt; &gt;=</c>).</summary>
internal sealed record XlsBinary(string Op, XlsExpr Left, XlsExpr Right) : XlsExpr;

internal sealed class XlsExprException(string message) : Exception(message);

internal sealed class XlsExprParser(string text)
{
    private static readonly string[] s_comparisons = ["<=", ">=", "!=", "=", "<", ">"];
    private int _at;

    public XlsExpr ParseAll()
    {
        var expr = Or();
        Space();
        if (_at < text.Length) throw new XlsExprException($"unexpected '{text[_at..]}'");
        return expr;
    }

    private XlsExpr Or() => Chain("or", And);

    private XlsExpr And() => Chain("and", Comparison);

    private XlsExpr Chain(string word, Func<XlsExpr> operand)
    {
        var start = Start();
        var left = operand();
        while (Word(word)) left = new XlsBinary(word, left, operand()) { Source = Slice(start) };
        return left;
    }

    private XlsExpr Comparison()
    {
        var start = Start();
        var left = Primary();
        Space();
        foreach (var op in s_comparisons)
        {
            if (string.CompareOrdinal(text, _at, op, 0, op.Length) != 0) continue;
            _at += op.Length;
            return new XlsBinary(op, left, Primary()) { Source = Slice(start) };
        }
        return left;
    }

    private XlsExpr Primary()
    {
        var start = Start();
        if (_at >= text.Length) throw new XlsExprException("it ends too early");
        var c = text[_at];
        if (c == '(')
        {
            _at++;
            var inner = Or();
            Expect(')');
            return inner with { Source = Slice(start) };
        }
        if (c == '$' && _at + 1 < text.Length && text[_at + 1] == '{')
        {
            var end = text.IndexOf('}', _at);
            if (end < 0) throw new XlsExprException("'${' is not closed with '}'");
            var name = text[(_at + 2)..end].Trim();
            _at = end + 1;
            return new XlsRef(name) { Source = Slice(start) };
        }
        if (c is '\'' or '"')
        {
            var end = text.IndexOf(c, _at + 1);
            if (end < 0) throw new XlsExprException("a quoted value is not closed");
            var value = text[(_at + 1)..end];
            _at = end + 1;
            return new XlsLiteral(value, IsNumber: false) { Source = Slice(start) };
        }
        if (char.IsAsciiDigit(c) || (c == '-' && _at + 1 < text.Length && char.IsAsciiDigit(text[_at + 1])))
        {
            var end = _at + 1;
            while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.')) end++;
            var number = text[_at..end];
            _at = end;
            if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
            {
                throw new XlsExprException($"'{number}' is not a number");
            }
            return new XlsLiteral(number, IsNumber: true) { Source = Slice(start) };
        }
        if (c == '.' && (_at + 1 >= text.Length || text[_at + 1] != '.'))
        {
            _at++;
            return new XlsDot { Source = "." };
        }
        if (char.IsAsciiLetter(c))
        {
            var end = _at;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '_' or ':')) end++;
            var name = text[_at..end];
            _at = end;
            Space();
            if (_at >= text.Length || text[_at] != '(') throw new XlsExprException($"'{name}' is not understood here");
            _at++;
            var arguments = new List<XlsExpr>();
            Space();
            if (_at < text.Length && text[_at] == ')') _at++;
            else
            {
                arguments.Add(Or());
                while (Accept(',')) arguments.Add(Or());
                Expect(')');
            }
            return new XlsCall(name, arguments) { Source = Slice(start) };
        }
        throw new XlsExprException($"unexpected '{text[_at..]}'");
    }

    private int Start()
    {
        Space();
        return _at;
    }

    private string Slice(int start) => text[start.._at].Trim();

    private void Space()
    {
        while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
    }

    private bool Word(string word)
    {
        Space();
        var end = _at + word.Length;
        if (end > text.Length || string.CompareOrdinal(text, _at, word, 0, word.Length) != 0) return false;
        if (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '_')) return false;
        _at = end;
        return true;
    }

    private bool Accept(char c)
    {
        Space();
        if (_at >= text.Length || text[_at] != c) return false;
        _at++;
        return true;
    }

    private void Expect(char c)
    {
        if (!Accept(c)) throw new XlsExprException($"'{c}' is missing");
    }
}
