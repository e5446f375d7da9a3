"""The rejection reasons of the format doc, explained in Chinese for the `rejected` listing."""

from __future__ import annotations

REASON_LABELS = {
    "CORRUPT_PDF": "不是可读的 PDF（空文件、文件不完整或其他格式）",
    "ENCRYPTED_PDF": "PDF 加密，需要密码才能打开",
    "NO_TEXT_LAYER": "扫描件，没有可读取的文字",
    "NOT_A_REPORT": "不是政府信息公开工作年度报告",
    "UNKNOWN_TOWNSHIP": "报告机关不在乡镇名册中",
    "DUPLICATE": "与已收到的文件内容完全相同",
    "TOO_LARGE": "文件过大或页数过多",
    "PARSE_TIMEOUT": "读取超时或内存不足",
    "UNKNOWN_YEAR": "标题中没有可读的年份",
    "PARSE_ERROR": "读取程序出错（请报告此问题）",
    "UNSUPPORTED_FORMAT": "不支持的文件格式（请另存为 PDF、网页或 .docx）",
    "CORRUPT_FILE": "网页或 Word 文件已损坏或为空",
}
