using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Text;

namespace Jukwaa.Bot.Core.Tests;

public class TextTests
{
    [Theory]
    [InlineData("Habari, karibu!", 15)]
    [InlineData("Price: 100€ [approx]", 23)]
    public void Gsm7LengthCountsExtensionCharactersTwice(string text, int septets) =>
        Assert.Equal(septets, Gsm7.SeptetLength(text));

    [Fact]
    public void TextNeedingUcs2HasNoGsm7Length() => Assert.Null(Gsm7.SeptetLength("Hello 😀"));

    [Fact]
    public void SanitizeMapsLookAlikesAndReplacesTheRest() =>
        Assert.Equal("It's \"ok\" - ? done", Gsm7.Sanitize("It’s “ok” — 😀 done".Replace("😀", "\u263A")));

    [Theory]
    [InlineData("0712345678", "+254712345678")]
    [InlineData("+254 712 345 678", "+254712345678")]
    [InlineData("254712345678", "+254712345678")]
    [InlineData("+14155550100", "+14155550100")]
    public void PhoneNumbersBecomeE164(string raw, string expected) => Assert.Equal(expected, PhoneNumber.Normalize(raw));

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("12")]
    public void WhatIsNotAPhoneNumberIsRefused(string raw) => Assert.Null(PhoneNumber.Normalize(raw));

    [Theory]
    [InlineData("The 'To' number +254712345678 is not a valid phone number.", "The 'To' number +2547*****678 is not a valid phone number.")]
    [InlineData("to 0712 345 678 failed", "to +2547*****678 failed")]
    [InlineData("bad number 254-712-345-678-999-1", "bad number *********************")]
    [InlineData("twilio HTTP 400 error 21211 (SM0123456789abcdef0123456789abcdef)", "twilio HTTP 400 error 21211 (SM0123456789abcdef0123456789abcdef)")]
    [InlineData("Invalid 'To' Phone Number: %2B254712345678", "Invalid 'To' Phone Number: +2547*****678")]
    [InlineData("To=%2b254712345678&From=x", "To=+2547*****678&From=x")]
    [InlineData("number+254712345678 is blocked", "number+2547*****678 is blocked")]
    [InlineData("sid SM5d2e0b9a1234567c8f9e0123456789ab queued", "sid SM5d2e0b9a1234567c8f9e0123456789ab queued")]
    public void ProviderTextIsRedactedOfAnythingNumberLike(string text, string expected) => Assert.Equal(expected, PhoneNumber.Redact(text));

    [Fact]
    public void SealedTextOpensOnlyWithItsKeyAndHashesAreStable()
    {
        var protector = new PersonalDataProtector(PersonalDataProtector.NewKey(), PersonalDataProtector.NewKey());
        var sealedText = protector.Seal("Kibuye market");
        Assert.DoesNotContain("Kibuye", sealedText, StringComparison.Ordinal);
        Assert.NotEqual(sealedText, protector.Seal("Kibuye market"));
        Assert.Equal("Kibuye market", protector.Unseal(sealedText));
        Assert.Equal(protector.Hash("tel:+254712345678"), protector.Hash("tel:+254712345678"));

        var other = new PersonalDataProtector(PersonalDataProtector.NewKey(), PersonalDataProtector.NewKey());
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => other.Unseal(sealedText));
        Assert.NotEqual(protector.Hash("tel:+254712345678"), other.Hash("tel:+254712345678"));
    }

    [Fact]
    public void PlaceholdersAreFilledCutAndMadeSafe()
    {
        var values = new Dictionary<string, string> { ["place"] = "Kibuye “market” near the bus stage", ["n"] = "3" };
        var text = DialogCatalog.Fill("At {place:20}; {n} of {missing}.", name => values.GetValueOrDefault(name));
        Assert.Equal("At Kibuye \"market\" ne..; 3 of .", text);
    }

    [Fact]
    public void AShortReplyIsOneScreen()
    {
        var pages = ScreenPager.Pages(new Reply("Hello", [new("1", "Yes"), new("2", "No")], false), 160, "More", "Back");
        Assert.Equal(["Hello\n1. Yes\n2. No"], pages);
    }

    [Fact]
    public void ALongMenuPagesWithMoreAndBackAndKeepsOptionNumbers()
    {
        var options = Enumerable.Range(1, 12).Select(i => new ReplyOption(i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Option number {i} with words")).ToList();
        var pages = ScreenPager.Pages(new Reply("Choose one of these", options, false), 160, "More", "Back");

        Assert.True(pages.Count > 1);
        Assert.All(pages, p => Assert.True(p.Length <= 160, $"{p.Length} chars: {p}"));
        Assert.All(pages.SkipLast(1), p => Assert.EndsWith("98. More", p.Split('\n').Where(l => !l.StartsWith("0.", StringComparison.Ordinal)).Last()));
        Assert.DoesNotContain("0. Back", pages[0], StringComparison.Ordinal);
        Assert.All(pages.Skip(1), p => Assert.Contains("0. Back", p, StringComparison.Ordinal));
        var shown = string.Join('\n', pages);
        Assert.All(options, o => Assert.Contains($"{o.Key}. {o.Label}", shown, StringComparison.Ordinal));
    }

    [Fact]
    public void ALongParagraphIsWrappedAcrossPages()
    {
        var text = string.Join(' ', Enumerable.Repeat("Jukwaa la Usalama", 30));
        var pages = ScreenPager.Pages(new Reply(text, [new("1", "Submit")], false), 160, "More", "Back");
        Assert.All(pages, p => Assert.True(p.Length <= 160));
        Assert.Contains("1. Submit", pages[^1], StringComparison.Ordinal);
    }
}
