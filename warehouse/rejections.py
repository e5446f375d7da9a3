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
}
