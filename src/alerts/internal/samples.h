// A complete, valid CAP 1.2 alert in Chinese (every element of the XSD used once or twice), with
// a national identifier and +08:00 times, for the alerts tests. Test-only.
#pragma once

#include <string>

namespace liandong::alerts::samples {

inline const std::string kChineseAlert = R"(<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>44130041600000_20261129130500_0</identifier>
  <sender>44130041600000</sender>
  <sent>2026-11-29T13:05:00+08:00</sent>
  <status>Actual</status>
  <msgType>Update</msgType>
  <source>惠州市气象台</source>
  <scope>Public</scope>
  <code>GB/T 35965.1-2018</code>
  <note>更新：降雨范围扩大</note>
  <references>44130041600000,44130041600000_20261129120000_0,2026-11-29T12:00:00+08:00</references>
  <incidents>441300-INC-42</incidents>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨</event>
    <responseType>Prepare</responseType>
    <urgency>Expected</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <audience>公众</audience>
    <eventCode>
      <valueName>GB/T 35965.1</valueName>
      <value>11B03</value>
    </eventCode>
    <effective>2026-11-29T13:05:00+08:00</effective>
    <onset>2026-11-29T14:00:00+08:00</onset>
    <expires>2026-11-30T13:05:00+08:00</expires>
    <senderName>惠州市气象台</senderName>
    <headline>惠州市气象台发布暴雨橙色预警信号</headline>
    <description>预计未来3小时惠城区、惠阳区将出现50毫米以上降雨 &amp; 雷电。</description>
    <instruction>注意防范，远离低洼危险地带。</instruction>
    <web>http://www.example.cn/alerts/1</web>
    <contact>0752-12121</contact>
    <parameter>
      <valueName>预警级别</valueName>
      <value>橙色</value>
    </parameter>
    <resource>
      <resourceDesc>雷达回波图</resourceDesc>
      <mimeType>image/png</mimeType>
      <size>1024</size>
      <uri>http://www.example.cn/radar.png</uri>
      <digest>2c26b46b68ffc68ff99b453c1d30413413422d70</digest>
    </resource>
    <area>
      <areaDesc>惠城区</areaDesc>
      <polygon>23.0,114.3 23.2,114.3 23.2,114.5 23.0,114.3</polygon>
      <circle>23.1,114.4 5.5</circle>
      <geocode>
        <valueName>GB/T 2260</valueName>
        <value>441302</value>
      </geocode>
      <altitude>100</altitude>
      <ceiling>2000.5</ceiling>
    </area>
    <area>
      <areaDesc>惠阳区</areaDesc>
      <geocode>
        <valueName>GB/T 2260</valueName>
        <value>441303</value>
      </geocode>
    </area>
  </info>
  <info>
    <language>en-US</language>
    <category>Met</category>
    <event>Rainstorm</event>
    <urgency>Expected</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <headline>Orange rainstorm warning</headline>
    <area>
      <areaDesc>Huicheng District</areaDesc>
    </area>
  </info>
</alert>
)";

}  // namespace liandong::alerts::samples
