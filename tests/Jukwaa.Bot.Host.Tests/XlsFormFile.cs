using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using S = DocumentFormat.OpenXml.Spreadsheet;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// Writes an XLSForm workbook as Excel would: one sheet per name, the first row the column headings, whole
/// numbers as numbers and the rest as text. A null row is left empty (as a blank line in Excel).
/// </summary>
internal static class XlsFormFile
{
    public static byte[] Workbook(params (string Name, string?[]?[] Rows)[] sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new S.Workbook();
            var list = workbook.Workbook.AppendChild(new S.Sheets());
            uint sheetId = 1;
            foreach (var (name, rows) in sheets)
            {
                var data = new S.SheetData();
                for (var r = 0; r < rows.Length; r++)
                {
                    if (rows[r] is not { } cells) continue;
                    var row = new S.Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < cells.Length; c++)
                    {
                        if (string.IsNullOrEmpty(cells[c])) continue;
                        var cell = new S.Cell { CellReference = $"{(char)('A' + c)}{r + 1}" };
                        if (int.TryParse(cells[c], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                        {
                            cell.DataType = S.CellValues.Number;
                            cell.CellValue = new S.CellValue(cells[c]!);
                        }
                        else
                        {
                            cell.DataType = S.CellValues.InlineString;
                            cell.InlineString = new S.InlineString(new S.Text(cells[c]!) { Space = SpaceProcessingModeValues.Preserve });
                        }
                        row.Append(cell);
                    }
                    data.Append(row);
                }
                var sheet = workbook.AddNewPart<WorksheetPart>();
                sheet.Worksheet = new S.Worksheet(data);
                list.Append(new S.Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = sheetId++, Name = name });
            }
        }
        return stream.ToArray();
    }

    public static readonly string?[] SurveyHeadings =
        ["type", "name", "label::English (en)", "label::Kiswahili (sw)", "required", "relevant", "constraint", "constraint_message::English (en)", "constraint_message::Kiswahili (sw)", "appearance"];

    public static readonly string?[] ChoiceHeadings = ["list_name", "name", "label::English (en)", "label::Kiswahili (sw)"];

    /// <summary>A settings sheet: id, version and a title in both languages, open all of 2026 and 2027.</summary>
    public static (string, string?[]?[]) Settings(string id = "small", string version = "1") =>
        ("settings", [["form_id", "version", "form_title::English (en)", "form_title::Kiswahili (sw)", "opens", "closes"], [id, version, "Small form", "Fomu ndogo", "2026-01-01", "2027-12-31"]]);

    public static (string, string?[]?[]) YesNo => ("choices", [ChoiceHeadings, ["yes_no", "yes", "Yes", "Ndiyo"], ["yes_no", "no", "No", "Hapana"]]);
}
