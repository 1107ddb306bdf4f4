using System.Globalization;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>One cell of a download: text, or a number a spreadsheet may add up. Free text is marked so that no sheet runs it as a formula.</summary>
public readonly record struct ResultCell(string Value, bool IsNumber, bool IsFreeText = false)
{
    public static readonly ResultCell Empty = new("", false);

    public static ResultCell Text(string value) => new(value, false);

    public static ResultCell FreeText(string value) => new(value, false, true);

    public static ResultCell Number(double value) => new(value.ToString("R", CultureInfo.InvariantCulture), true);
}

/// <summary>Where a download's rows go, one at a time: a CSV text or an .xlsx worksheet.</summary>
public interface IResultsSheet
{
    Task HeaderAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken);

    Task RowAsync(IReadOnlyList<ResultCell> cells, CancellationToken cancellationToken);

    /// <summary>After the last row: flush, close the document.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>RFC 4180 CSV, one line per row, written as it comes.</summary>
public sealed class CsvResultsSheet(TextWriter output) : IResultsSheet
{
    private readonly List<string> _line = [];

    public Task HeaderAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken) =>
        output.WriteLineAsync(string.Join(',', columns.Select(Quote)));

    public Task RowAsync(IReadOnlyList<ResultCell> cells, CancellationToken cancellationToken)
    {
        _line.Clear();
        foreach (var cell in cells) _line.Add(Quote(cell.IsFreeText ? Inert(cell.Value) : cell.Value));
        return output.WriteLineAsync(string.Join(',', _line));
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>What a citizen typed never starts a spreadsheet formula (OWASP's CSV injection advice: a leading apostrophe).</summary>
    private static string Inert(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
