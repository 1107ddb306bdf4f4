using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>
/// A download as an .xlsx workbook of one worksheet, the worksheet written row by row with OpenXmlWriter (SAX-style)
/// straight into its zip entry, so no part is held in memory and memory stays flat whatever the number of rows.
/// OpenXml's package classes cannot add parts to a write-only package, and a read-write one keeps every part in memory
/// until it is saved; so the few fixed parts (content types, relationships, workbook) are written here and the zip is
/// written in create mode. Text is written as inline strings (a county code keeps its leading zeros), numbers as numbers.
/// Writes are synchronous: give it a file (the console writes a temporary file, then sends it). Beside <see cref="CsvResultsSheet"/>,
/// the other form a download takes.
/// </summary>
public sealed class XlsxResultsSheet : IResultsSheet, IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Stream _sheetStream;
    private readonly OpenXmlWriter _writer;
    private bool _completed;

    public XlsxResultsSheet(Stream output, string sheetName)
    {
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Fixed("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
            """);
        Fixed("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """);
        Fixed("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
            """);
        using (var workbook = _zip.CreateEntry("xl/workbook.xml", CompressionLevel.Fastest).Open())
        {
            new Workbook(new Sheets(new Sheet { Id = "rId1", SheetId = 1, Name = sheetName })).Save(workbook);
        }
        _sheetStream = _zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open();
        _writer = OpenXmlWriter.Create(_sheetStream);
        _writer.WriteStartDocument();
        _writer.WriteStartElement(new Worksheet());
        _writer.WriteStartElement(new SheetData());
    }

    public Task HeaderAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken) =>
        RowAsync([.. columns.Select(ResultCell.Text)], cancellationToken);

    public Task RowAsync(IReadOnlyList<ResultCell> cells, CancellationToken cancellationToken)
    {
        _writer.WriteStartElement(new Row());
        foreach (var cell in cells)
        {
            // Cells carry no reference, so each follows the last: an empty one is written too, to keep its place.
            if (cell.Value.Length == 0) _writer.WriteElement(new Cell());
            else if (cell.IsNumber) _writer.WriteElement(new Cell { DataType = CellValues.Number, CellValue = new CellValue(cell.Value) });
            else _writer.WriteElement(new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(XmlSafe(cell.Value))) });
        }
        _writer.WriteEndElement();
        return Task.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.Close();
        _sheetStream.Dispose();
        _zip.Dispose();
        _completed = true;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_completed) return;
        _writer.Dispose();
        _sheetStream.Dispose();
        _zip.Dispose();
    }

    private void Fixed(string name, string xml)
    {
        using var entry = _zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(new UTF8Encoding(false).GetBytes(xml));
    }

    /// <summary>What someone typed may hold control characters that XML 1.0 cannot carry; they are dropped.</summary>
    private static string XmlSafe(string value)
    {
        try
        {
            return XmlConvert.VerifyXmlChars(value);
        }
        catch (XmlException)
        {
            return new string([.. value.Where(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c))]);
        }
    }
}
