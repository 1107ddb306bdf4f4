using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Scorecards;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Jukwaa.Bot.Host.Web;

/// <summary>
/// A county's published scorecard on A4 for a chief's notice board: the grade, targets against achievements
/// (units, "lower is better", the source of each value), what citizens report (small counts as
/// <see cref="SmallCounts"/> publishes them, the same words as every other surface), what the grades mean,
/// how to report, when it was published (and corrected, or a newer quarter withdrawn). Drawn with PDFsharp
/// in DejaVu Sans built into the host, so nothing needs installing; a long scorecard continues on a new page.
/// </summary>
public static class ScorecardPdf
{
    public static byte[] Render(County county, IReadOnlyList<PublishedScorecard> history, PublishedScorecard card, PageText text, ReportingChannels channels)
    {
        EmbeddedFonts.Install();
        var data = card.Snapshot;
        var quarter = Quarter.Parse(card.Quarter);
        using var document = new PdfDocument();
        document.Info.Title = $"{text.Format("scorecard.title", ("county", county.Name), ("quarter", card.Quarter), ("grade", Grade(text, card.Overall)))}";
        document.Info.Author = "Jukwaa la Usalama";
        document.Info.Subject = text["pdf.title"];
        var sheet = new Sheet(document, page => text.Format("pdf.footer", ("county", county.Name), ("quarter", card.Quarter), ("page", page)));

        sheet.Line(text["pdf.title"], 11, bold: false);
        sheet.Line($"{county.Name} {card.Quarter}", 24, bold: true);
        sheet.Line($"{text["web.grade"]}: {Grade(text, card.Overall)}", 18, bold: true);
        sheet.Gap(4);
        if (quarter is { } q)
        {
            sheet.Paragraph(text.Format("web.published", ("quarter", card.Quarter), ("from", PageFormat.Date(q.Start)),
                ("to", PageFormat.Date(q.End.AddDays(-1))), ("date", PageFormat.Date(card.PublishedAt))), 10);
        }
        if (card.CorrectedAt is { } corrected)
        {
            sheet.Paragraph(text.Format("web.corrected", ("date", PageFormat.Date(corrected)), ("reason", card.CorrectionReason ?? "")), 10, bold: true);
        }
        foreach (var withdrawn in history.Where(h => h.WithdrawnAt is not null && string.CompareOrdinal(h.Quarter, card.Quarter) > 0))
        {
            sheet.Paragraph(text.Format("web.withdrawn", ("quarter", withdrawn.Quarter), ("date", PageFormat.Date(withdrawn.WithdrawnAt!.Value)),
                ("reason", withdrawn.WithdrawnReason ?? "")), 10, bold: true);
        }

        sheet.Heading(text["web.indicators"]);
        var shown = data.Shown.Where(i => i.Target is not null && i.Achieved is not null).ToList();
        if (shown.Count == 0)
        {
            sheet.Paragraph(text["scorecard.grade.nodata"], 10);
        }
        else
        {
            double[] widths = [180, 75, 80, 70, 106];
            sheet.Row(widths, [text["web.indicator"], text["web.target"], text["web.achieved"], text["web.grade"], text["web.source"]], bold: true);
            foreach (var line in shown)
            {
                var indicator = text.Catalog.Indicator(line.Id);
                var name = indicator?.Name.Get(text.Language) ?? line.Id;
                if (indicator is { HigherIsBetter: false }) name += $" ({text["web.lower_is_better"]})";
                var unit = indicator?.Unit.Get(text.Language) is { Length: > 0 } u ? " " + u : "";
                sheet.Row(widths, [name, ScorecardText.Amount(line.Target!.Value) + unit, ScorecardText.Amount(line.Achieved!.Value) + unit,
                    Grade(text, line.Grade), line.Source ?? "-"]);
            }
        }

        sheet.Heading(text["web.citizens"]);
        var categories = SmallCounts.Publish(data.ReportsByCategory, text.Catalog.Categories);
        double[] pair = [255, 256];
        sheet.Row(pair, [text["web.reports"], data.Received.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        // Two categories a row: all twelve can read "fewer than 5", and the sheet should stay one page.
        double[] quad = [167, 88, 167, 89];
        foreach (var two in categories.Shown.Chunk(2))
        {
            sheet.Row(quad, [.. two.SelectMany(f => new[] { "    " + ScorecardText.Label(f, text.Language), ScorecardText.Count(f, text.Language, text.Catalog) })]);
        }
        if (categories.Withheld) sheet.Row(pair, ["    " + text["web.categories"], text["scorecard.categories_withheld"]]);
        sheet.Row(pair, [text["web.actioned"], $"{ScorecardText.Percent(data.Actioned, data.Received)} ({Grade(text, data.ActionedGrade)})"]);
        sheet.Row(pair, [text["web.closed"], ScorecardText.Percent(data.Closed, data.Received)]);
        sheet.Row(pair, [text["web.median_days"], $"{ScorecardText.OneDecimal(data.MedianDaysToAction)} ({Grade(text, data.SpeedGrade)})"]);
        sheet.Row(pair, [text["web.trust"], $"{ScorecardText.OneDecimal(data.MeanTrust)} ({Grade(text, data.TrustGrade)})"]);
        sheet.Row(pair, [text["web.responses"], data.QuestionnaireResponses.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        sheet.Heading(text["web.how_to_report"]);
        if (channels.Ussd(text) is { } ussd) sheet.Paragraph(ussd, 12, bold: true);
        sheet.Paragraph(channels.SmsHeading(text), 11);
        foreach (var keyword in channels.Keywords(text)) sheet.Paragraph("  " + keyword, 11);

        sheet.Heading(text["web.grades_title"]);
        sheet.Paragraph(text["web.grades_indicator"], 8.5);
        sheet.Paragraph(text["web.grades_citizens"], 8.5);
        sheet.Paragraph(text["web.grades_overall"], 8.5);

        sheet.Heading(text["web.sources"]);
        var sources = shown.Select(i => i.Source).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (sources.Count > 0) sheet.Paragraph($"{text["web.indicators"]}: {string.Join("; ", sources)}", 8.5);
        sheet.Paragraph(text["web.sources_citizens"], 8.5);

        sheet.Finish();
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static string Grade(PageText text, Grade grade) => text["scorecard.grade." + grade.ToString().ToLowerInvariant()];

    /// <summary>Top-down text on A4 pages with word wrap; a new page when the next line does not fit.</summary>
    private sealed class Sheet(PdfDocument document, Func<string, string> footer)
    {
        private const double Margin = 42, Bottom = 50;
        private readonly List<(PdfPage Page, XGraphics Graphics)> _pages = [];
        private XGraphics _graphics = null!;
        private double _y;

        private XGraphics Graphics
        {
            get
            {
                if (_pages.Count == 0) NewPage();
                return _graphics;
            }
        }

        private static double Width => XUnit.FromMillimeter(210).Point - (2 * Margin);

        private static double Height => XUnit.FromMillimeter(297).Point;

        private void NewPage()
        {
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(page);
            _pages.Add((page, _graphics));
            _y = Margin;
        }

        private void Room(double height)
        {
            if (_pages.Count == 0 || _y + height > Height - Bottom) NewPage();
        }

        private static XFont Font(double size, bool bold) => new(EmbeddedFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);

        public void Gap(double points) => _y += points;

        public void Line(string text, double size, bool bold)
        {
            var font = Font(size, bold);
            var height = font.GetHeight() * 1.15;
            Room(height);
            Graphics.DrawString(text, font, XBrushes.Black, new XPoint(Margin, _y), XStringFormats.TopLeft);
            _y += height;
        }

        public void Heading(string text)
        {
            _y += 8;
            Room(40);     // a heading never ends a page alone
            Line(text, 13, bold: true);
            Graphics.DrawLine(new XPen(XColors.Gray, 0.5), Margin, _y, Margin + Width, _y);
            _y += 4;
        }

        public void Paragraph(string text, double size, bool bold = false)
        {
            var font = Font(size, bold);
            foreach (var line in Wrap(text, font, Width)) Line(line, size, bold);
            _y += 2;
        }

        /// <summary>A table row: each cell wrapped in its column, the row as tall as its tallest cell, a hairline under it.</summary>
        public void Row(double[] widths, string[] cells, bool bold = false)
        {
            var font = Font(9.5, bold);
            var lineHeight = font.GetHeight() * 1.15;
            var wrapped = cells.Select((cell, n) => Wrap(cell, font, widths[n] - 6)).ToList();     // fewer cells than columns: the rest stay empty
            var height = (wrapped.Max(w => w.Count) * lineHeight) + 4;
            Room(height);
            var x = Margin;
            for (var n = 0; n < cells.Length; n++)
            {
                for (var l = 0; l < wrapped[n].Count; l++)
                {
                    Graphics.DrawString(wrapped[n][l], font, XBrushes.Black, new XPoint(x, _y + 2 + (l * lineHeight)), XStringFormats.TopLeft);
                }
                x += widths[n];
            }
            _y += height;
            Graphics.DrawLine(new XPen(XColors.LightGray, 0.5), Margin, _y, Margin + widths.Sum(), _y);
        }

        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var current = "";
            foreach (var word in text.Split(' '))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (current.Length > 0 && Graphics.MeasureString(candidate, font).Width > width)
                {
                    lines.Add(current);
                    current = word.TrimStart();
                }
                else
                {
                    current = candidate;
                }
            }
            lines.Add(current);
            return lines;
        }

        /// <summary>The footer on every page, once the number of pages is known.</summary>
        public void Finish()
        {
            if (_pages.Count == 0) NewPage();
            var font = Font(8, bold: false);
            for (var n = 0; n < _pages.Count; n++)
            {
                var label = footer($"{n + 1}/{_pages.Count}");
                _pages[n].Graphics.DrawString(label, font, XBrushes.DimGray, new XPoint(Margin, Height - 36), XStringFormats.TopLeft);
                _pages[n].Graphics.Dispose();
            }
        }
    }
}

/// <summary>
/// PDFsharp finds no fonts on Linux by itself: DejaVu Sans (Bitstream Vera licence, Web/Fonts/LICENSE-DejaVu.txt)
/// is built into the host and served to it here. Installed once per process (PDFsharp's resolver is global).
/// </summary>
internal sealed class EmbeddedFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans.ttf", Bold = "DejaVuSans-Bold.ttf";

    private static readonly Lazy<bool> s_installed = new(() =>
    {
        GlobalFontSettings.FontResolver = new EmbeddedFonts();
        return true;
    });

    public static void Install() => _ = s_installed.Value;

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName)
    {
        using var stream = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream(faceName)
            ?? throw new InvalidOperationException($"{faceName} is not built into the host (EmbeddedResource in Jukwaa.Bot.Host.csproj); scorecards cannot be printed.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
