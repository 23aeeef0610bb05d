#!/usr/bin/env python3
"""Writes reference token ids made by Hugging Face's Rust `tokenizers` (pip install tokenizers==0.23.3)
for the parity test in libs/inference. Run after `npm run models:fetch -- default zh`:
    python3 tools/models/tokenizer-fixtures.py
The texts are fixed; the ids are the reference implementation's, never edited by hand."""
import json, pathlib, tokenizers

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "libs/inference/test/fixtures/tokenizer-parity.json"
TEXTS = [
    "How do I reset my card PIN?",
    "My card hasn't arrived yet — it's been 2 weeks!!",
    "Transfer €250.00 to account DE89 3704 0044 0532 0130 00, please.",
    "naïve café résumé Ångström straße",
    "I can't log in: error code 0x80070005 (access denied).",
    "   leading and trailing spaces   ",
    "emoji 😀 and symbols ™ © ½",
    "Заблокируйте мою карту, пожалуйста",
    "我的银行卡丢了，请帮我冻结。",
    "汇款什么时候到账？",
    "混合 mixed 文本 with English 和 中文",
    "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007 .",
    "UNSUPPORTED_UPPERCASE and CamelCaseWords and snake_case",
    "A" * 3 + " " + "supercalifragilisticexpialidocious",
    "tabs\tand\nnewlines\r\ninside",
]
LONG = " ".join(["the quick brown fox jumps over the lazy dog"] * 120)

def run(name, path, max_length):
    tok = tokenizers.Tokenizer.from_file(str(path))
    cases = []
    for text in TEXTS + [LONG]:
        tok.no_truncation()
        tok.enable_truncation(max_length=max_length)
        enc = tok.encode(text)
        cases.append({"text": text, "maxLength": max_length, "ids": enc.ids, "typeIds": enc.type_ids})
    tok.enable_truncation(max_length=16)
    for text in TEXTS[:3]:
        enc = tok.encode(text)
        cases.append({"text": text, "maxLength": 16, "ids": enc.ids, "typeIds": enc.type_ids})
    return {"model": name, "cases": cases}

models = [
    ("bge-small-en-v15", ROOT / ".cache/models/bge-small-en-v15/1.20.0-beta30/tokenizer.json", 512),
    ("bge-small-zh-v15", ROOT / ".cache/models/bge-small-zh-v15/1.19.0-beta29/tokenizer.json", 512),
]
OUT.write_text(json.dumps({"reference": f"tokenizers {tokenizers.__version__} (Rust)", "models": [run(*m) for m in models]},
                          ensure_ascii=False, indent=1) + "\n")
print(f"wrote {OUT}")
